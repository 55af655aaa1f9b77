import { ALERTS_WORKER_URL } from "../../shared/alerts";

/**
 * Registers the site's service worker (client/public/alerts-sw.js) on every visit, so that the
 * installed app opens offline with the window it last painted, and a page with nothing kept says
 * "You are offline". The same worker shows push alerts once the reader turns them on. Registered
 * after the page has loaded: its first caching must not compete with the first paint.
 */
export function keepForOffline(): void {
  if (!("serviceWorker" in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register(ALERTS_WORKER_URL).catch(() => {
      // No worker (private browsing, an insecure origin): the page works online as it always did.
    });
  };
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
