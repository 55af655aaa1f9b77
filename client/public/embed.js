/*
 * livedesk's embed loader, for partner sites: turns every
 *   <div data-livedesk="ticker" data-topic="karabakh"><a href="https://desk/embed/ticker?topic=karabakh">Breaking news</a></div>
 * into an iframe of /embed/ticker (or /embed/feed) on the site this script came from, and keeps
 * the iframe as tall as its content by the messages the embed sends. Messages from any other
 * origin or window are ignored. Without scripts the link inside the div stays: a plain link.
 * Options (data-*): topic (slugs separated by spaces or commas), limit, theme (light, dark),
 * compact ("" or "1"). Plain JavaScript served as it is: it runs on partners' pages as they are.
 */
(() => {
  const script = document.currentScript;
  if (!(script instanceof HTMLScriptElement)) return;
  const origin = new URL(script.src).origin;
  const HEIGHT_MESSAGE = "livedesk:embed-height";
  const KINDS = { ticker: { title: "Breaking news", height: 88 }, feed: { title: "News feed", height: 480 } };
  /** The iframes made here: a height message is taken only from the window of one of them. */
  const frames = new Set();

  const embed = (host) => {
    const kind = host.getAttribute("data-livedesk");
    if (kind !== "ticker" && kind !== "feed") return;
    const params = new URLSearchParams();
    for (const topic of (host.getAttribute("data-topic") || "").split(/[\s,]+/))
      if (topic !== "") params.append("topic", topic);
    for (const name of ["limit", "theme", "compact"]) {
      const value = host.getAttribute(`data-${name}`);
      if (value !== null) params.set(name, value === "" ? "1" : value);
    }
    const query = params.toString();
    const frame = document.createElement("iframe");
    frame.src = `${origin}/embed/${kind}${query === "" ? "" : `?${query}`}`;
    frame.title = `${KINDS[kind].title} — livedesk`;
    frame.style.cssText = `display:block;width:100%;border:0;height:${KINDS[kind].height}px`;
    frame.setAttribute("loading", "lazy");
    // The embed may run its scripts, reach its own site and open permalinks in a new tab; it may
    // not navigate the partner's page, open dialogs or submit forms.
    frame.setAttribute(
      "sandbox",
      "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox",
    );
    host.setAttribute("data-livedesk-ready", "");
    host.replaceChildren(frame);
    frames.add(frame);
  };

  window.addEventListener("message", (event) => {
    if (event.origin !== origin) return;
    const data = event.data;
    if (data === null || typeof data !== "object" || data.type !== HEIGHT_MESSAGE) return;
    const height = Number(data.height);
    if (!Number.isFinite(height) || height < 0 || height > 10000) return;
    for (const frame of frames)
      if (frame.contentWindow === event.source) frame.style.height = `${Math.ceil(height)}px`;
  });

  const embedAll = () => {
    for (const host of document.querySelectorAll("[data-livedesk]:not([data-livedesk-ready])")) embed(host);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", embedAll);
  else embedAll();
})();
