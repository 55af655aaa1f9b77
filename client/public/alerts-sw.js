// livedesk's service worker: shows the push alerts a reader asked for (server/push/, shared/push.ts).
// Plain JavaScript, served as it is at /alerts-sw.js so that its scope is the whole site. It
// handles no fetches: pages load exactly as they do without it.

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

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

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

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url ?? "/", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === url);
      return open ? open.focus() : self.clients.openWindow(url);
    }),
  );
});
