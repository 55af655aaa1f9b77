// livedesk's one service worker: it keeps the dashboard readable offline and shows the push
// alerts a reader asked for (server/push/, shared/push.ts). Plain JavaScript, served as it is at
// /alerts-sw.js so that its scope is the whole site. The name stays from when it showed alerts
// only: readers' browsers hold their push subscriptions on the registration of this address.
//
// Caching, and why:
// - Navigations go to the network first, always: a kept page is used only when the network
//   fails or has not begun to answer in 6 s, so a stale index.html never hides a newer build. The dashboard's shell is kept under
//   "/" whatever its filter (the app reads the filter from the address), and permalinks opened
//   are kept too. Offline, a permalink with nothing kept gets the dashboard's shell (the app shows
//   the item when the window it kept has it); any other page with nothing kept, the offline page.
// - Built files under /assets/ have their content's hash in their names: cache first.
// - The icons, the manifest and the offline page: network first, the kept copy when offline.
// - /api and /socket.io are never touched, nor kept: the news itself comes from the dashboard's
//   own window (kept in localStorage) and its sync. Other requests go to the network untouched.

const SHELL_CACHE = "livedesk-shell-v1";
const ASSET_CACHE = "livedesk-assets-v1";
const OFFLINE_PAGE = "/offline.html";
/** Kept before any page asks: what a navigation with nothing kept is answered with. */
const PRECACHED = [OFFLINE_PAGE, "/offline.css", "/favicon.svg"];
/** Permalinks kept at most; the oldest go first. */
const PERMALINKS_KEPT = 30;
/**
 * A navigation the network has not begun to answer in this long is taken as a hung network (a
 * dead Wi-Fi, a captive portal, a server that stopped answering): the kept page, or the offline
 * page, answers instead of a blank screen that waits for minutes.
 */
const NAVIGATION_TIMEOUT_MS = 6000;
/** Built files kept at most: several builds' worth, the oldest go first. */
const ASSETS_KEPT = 120;
const STATIC_FILES = new Set(["/favicon.svg", "/manifest.webmanifest", OFFLINE_PAGE, "/offline.css"]);

/** The files a dashboard shell loads: its scripts, styles and preloads under /assets/. */
function assetsOf(html) {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
}

/** Keeps at most `max` entries in `cache`, dropping the oldest (the Cache API lists in insertion order). */
async function trim(cache, max, keep = () => true) {
  const keys = (await cache.keys()).filter(keep);
  await Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map((key) => cache.delete(key)));
}

/** Keeps a fresh dashboard shell, and every built file it loads, so the next offline start has them. */
async function keepShell(response) {
  const shells = await caches.open(SHELL_CACHE);
  const assets = await caches.open(ASSET_CACHE);
  const html = await response.clone().text();
  await shells.put("/", response);
  await Promise.all(
    assetsOf(html).map(async (asset) => {
      if (await assets.match(asset)) return;
      const answer = await fetch(asset).catch(() => undefined);
      if (answer?.ok) await assets.put(asset, answer);
    }),
  );
  await trim(assets, ASSETS_KEPT);
}

async function keepPermalink(url, response) {
  const shells = await caches.open(SHELL_CACHE);
  await shells.put(url, response);
  await trim(shells, PERMALINKS_KEPT, (key) => new URL(key.url).pathname.startsWith("/items/"));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      // Whatever cannot be kept now, the worker installs all the same: alerts must not depend on it.
      try {
        const shells = await caches.open(SHELL_CACHE);
        await shells.addAll(PRECACHED);
        // The page that registered this worker loaded its files before the worker could see them.
        const dashboard = await fetch("/");
        if (dashboard.ok) await keepShell(dashboard);
      } catch {
        // Kept on the next navigation instead.
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const current = [SHELL_CACHE, ASSET_CACHE];
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("livedesk-") && !current.includes(name))
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

/** The network's answer to `request`, or a failure when it has not begun to answer within `ms`. */
function fetchWithin(request, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the network did not answer in time")), ms);
    fetch(request).then(
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * A navigation: the network's page (the dashboard and permalinks kept for later); when the network
 * fails or hangs (NAVIGATION_TIMEOUT_MS), the kept page, else for a permalink the dashboard's shell (the app shows the item if the
 * window this device kept has it), else the offline page.
 */
async function navigate(event, url) {
  const dashboard = url.pathname === "/";
  const permalink = url.pathname.startsWith("/items/");
  try {
    const response = await fetchWithin(event.request, NAVIGATION_TIMEOUT_MS);
    if (response.ok && response.type === "basic") {
      if (dashboard) event.waitUntil(keepShell(response.clone()));
      else if (permalink) event.waitUntil(keepPermalink(url.href, response.clone()));
    }
    return response;
  } catch (error) {
    const shells = await caches.open(SHELL_CACHE);
    const kept =
      (dashboard || permalink ? await shells.match(dashboard ? "/" : url.href) : undefined) ??
      (permalink ? await shells.match("/") : undefined) ??
      (await shells.match(OFFLINE_PAGE));
    if (kept) return kept;
    throw error;
  }
}

async function builtFile(request) {
  const assets = await caches.open(ASSET_CACHE);
  const kept = await assets.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    await assets.put(request, response.clone());
  }
  return response;
}

async function staticFile(request) {
  const shells = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await shells.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await shells.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  // The API and the socket are the news itself: never answered from here, not even offline.
  if (path.startsWith("/api/") || path.startsWith("/socket.io/")) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
    return;
  }
  if (path.startsWith("/assets/")) event.respondWith(builtFile(request));
  else if (STATIC_FILES.has(path) || path.startsWith("/icons/")) event.respondWith(staticFile(request));
  // Anything else (feeds, embeds, metrics) goes to the network untouched.
});

/** A message as the server sends it: `{ kind, itemId, tag, title, body, url, urgency }`. */
function alertOf(data) {
  let message;
  try {
    message = data?.json();
  } catch {
    return null;
  }
  if (typeof message !== "object" || message === null) return null;
  const { kind, tag, title, body, url } = message;
  if (typeof tag !== "string" || typeof title !== "string" || typeof body !== "string") return null;
  // Only a path on this site: a notification never opens another one.
  const path = typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "/";
  return { kind, tag, title, body, url: path };
}

self.addEventListener("push", (event) => {
  const alert = alertOf(event.data);
  // Every push must show a notification; one that cannot be read still says where to look.
  const shown = alert ?? {
    kind: "alert",
    tag: "livedesk",
    title: "livedesk",
    body: "New breaking news.",
    url: "/",
  };
  event.waitUntil(
    self.registration.showNotification(shown.title, {
      body: shown.body,
      // One tag per item: a correction or retraction replaces the alert it follows.
      tag: shown.tag,
      // A first alert sounds; a correction or retraction replaces it quietly.
      renotify: shown.kind === "alert",
      icon: "/favicon.svg",
      data: { url: shown.url },
    }),
  );
});

/**
 * The item's permalink in front: the window already showing it; else a reader's window (the
 * dashboard or another item: the installed app has one window) taken to it; else a new window.
 * An operator's panel is never taken away: it may hold an edit not yet saved.
 */
async function openPermalink(url) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const showing = windows.find((client) => client.url === url);
  if (showing) return showing.focus();
  const reader = windows.find((client) => {
    const path = new URL(client.url).pathname;
    return path === "/" || path.startsWith("/items/");
  });
  if (reader) {
    // Focus first, while the click still allows it; navigate() needs no click, only control.
    await reader.focus().catch(() => undefined);
    const moved = await reader.navigate(url).catch(() => null);
    if (moved) return moved;
  }
  return self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url ?? "/", self.location.origin).href;
  event.waitUntil(openPermalink(url));
});
