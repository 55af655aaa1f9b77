import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents, Surface } from "../../shared/events";
import type { Change } from "../../shared/item";
import { PROTOCOL_VERSION } from "../../shared/limits";
import { saveView } from "./persist";
import type { DeskStore } from "./store";

type LivedeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a sync may take before the client gives up on it and tries again. */
const SYNC_TIMEOUT_MS = 10_000;

let current: LivedeskSocket | undefined;
/** The store the current connection feeds. */
let currentStore: DeskStore | undefined;

function surfaceOf(pathname: string): Surface {
  return pathname === "/admin" || pathname.startsWith("/admin/") ? "panel" : "reader";
}

/** Said in the handshake, so that the server counts readers and not operators' panel tabs. */
let surface: Surface = surfaceOf(window.location.pathname);

/**
 * Opens the connection again, e.g. after logging in: the session cookie travels with the
 * handshake, and only then does the server count this socket as an operator's.
 */
export function reconnect(): void {
  current?.disconnect().connect();
}

/** Called on every navigation: moving between the dashboard and the panel says so in a new handshake. */
export function followSurface(pathname: string): void {
  const next = surfaceOf(pathname);
  if (next === surface) return;
  surface = next;
  reconnect();
}

/**
 * Tries to connect at once instead of waiting out the backoff ("Retry now", the tab shown again,
 * the network back). Nothing happens while connected.
 */
export function retryNow(): void {
  if (current === undefined || current.connected) return;
  currentStore?.getState().setConnection(navigator.onLine ? "reconnecting" : "offline");
  // Closing and opening again drops the pending backoff timer and starts the backoff over.
  current.disconnect().connect();
}

const incomingListeners = new Set<() => void>();

/**
 * Calls `listener` when wire entries arrive in or leave Incoming, and on every (re)connect, since
 * an operator's socket hears of Incoming only while connected. Returns the unsubscribe function.
 */
export function onIncomingChanged(listener: () => void): () => void {
  incomingListeners.add(listener);
  return () => incomingListeners.delete(listener);
}

/** Tells the other operators which item this one is editing (null: none). */
export function sendEditing(itemId: string | null): void {
  current?.emit("panel:editing", { itemId });
}

/**
 * The dashboard's one connection. It syncs on every (re)connect, applies live changes in batches
 * (one store update per animation frame, however many arrive), and resyncs on a gap.
 */
export function connect(desk: DeskStore): () => void {
  const store = desk.getState;
  // Reconnects back off from 1 s to 5 s, each delay randomised by ±50% so that a restarted
  // server is not hit by every reader at the same instant; the cap keeps a reader from waiting
  // long after the server is back. The websocket comes first; where a proxy refuses the upgrade,
  // long-polling carries the same events (tryAllTransports falls back when the websocket fails).
  const socket: LivedeskSocket = io({
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
    // Protocol 2: the changes of a commit batch come as one `timeline:changes` event.
    auth: (send) => send({ surface, protocol: PROTOCOL_VERSION }),
  });
  current = socket;
  currentStore = desk;
  // Opened without a network (the installed app, offline): say so at once, not after a first retry.
  if (!navigator.onLine) store().setConnection("offline");

  let queue: Change[] = [];
  let flushScheduled = false;
  let syncing = false;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  const save = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    saveView(store().view);
  };
  const scheduleSave = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 1000);
  };
  // A reload or a tab closed within the second after a change keeps it too.
  const saveNow = () => {
    if (saveTimer !== undefined) save();
  };

  const sync = async () => {
    if (syncing) return;
    syncing = true;
    try {
      const request = store().beginSync();
      const answer = await socket.timeout(SYNC_TIMEOUT_MS).emitWithAck("timeline:sync", request);
      if ("error" in answer) throw new Error(answer.error.message);
      const outcome = store().finishSync(answer);
      store().setConnection("live");
      scheduleSave();
      syncing = false;
      if (outcome === "gap") void sync();
    } catch {
      store().abortSync();
      syncing = false;
      if (socket.connected) setTimeout(() => void sync(), 1000 + Math.random() * 1000);
    }
  };

  const flush = () => {
    flushScheduled = false;
    const changes = queue;
    queue = [];
    if (changes.length === 0) return;
    if (store().receiveChanges(changes)) void sync();
    scheduleSave();
  };

  socket.on("connect", () => void sync());
  socket.on("disconnect", (reason) => {
    // After a server-side disconnect (a session that ended, say) the client does not come back by
    // itself; a reader always should.
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 1000 + Math.random() * 2000);
    store().abortSync();
    store().setConnection(navigator.onLine ? "reconnecting" : "offline");
  });
  socket.io.on("reconnect_attempt", () =>
    store().setConnection(navigator.onLine ? "reconnecting" : "offline"),
  );
  const receive = (changes: readonly Change[]) => {
    queue.push(...changes);
    if (flushScheduled) return;
    flushScheduled = true;
    // Animation frames stop in a hidden tab; a timer keeps the "(N)" title counting there.
    if (document.visibilityState === "hidden") setTimeout(flush, 250);
    else requestAnimationFrame(flush);
  };
  socket.on("timeline:changes", receive);
  // A node of the previous release (during a rolling upgrade) answers protocol 2 with protocol 1.
  socket.on("timeline:change", (change) => receive([change]));
  socket.on("presence", ({ viewers }) => store().setViewers(viewers));
  socket.on("panel:presence", ({ operators }) => store().setOperatorsOnline(operators));
  const incomingChanged = () => {
    for (const listener of incomingListeners) listener();
  };
  socket.on("incoming:changed", incomingChanged);
  socket.on("connect", incomingChanged);

  const onOffline = () => store().setConnection("offline");
  // Timers of a hidden tab are slowed down, and no backoff knows when the network is back.
  const onVisible = () => {
    if (document.visibilityState === "visible") retryNow();
  };
  window.addEventListener("offline", onOffline);
  window.addEventListener("online", retryNow);
  window.addEventListener("pagehide", saveNow);
  document.addEventListener("visibilitychange", onVisible);

  return () => {
    window.removeEventListener("offline", onOffline);
    window.removeEventListener("online", retryNow);
    window.removeEventListener("pagehide", saveNow);
    document.removeEventListener("visibilitychange", onVisible);
    clearTimeout(saveTimer);
    socket.close();
    if (current === socket) {
      current = undefined;
      currentStore = undefined;
    }
  };
}
