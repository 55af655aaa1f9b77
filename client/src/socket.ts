import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/events";
import type { Change } from "../../shared/item";
import { saveView } from "./persist";
import { useStore } from "./store";

type LivedeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a sync may take before the client gives up on it and tries again. */
const SYNC_TIMEOUT_MS = 10_000;

let current: LivedeskSocket | undefined;

/**
 * Opens the connection again, e.g. after logging in: the session cookie travels with the
 * handshake, and only then does the server count this socket as an operator's.
 */
export function reconnect(): void {
  current?.disconnect().connect();
}

/** Tells the other operators which item this one is editing (null: none). */
export function sendEditing(itemId: string | null): void {
  current?.emit("panel:editing", { itemId });
}

/**
 * The dashboard's one connection. It syncs on every (re)connect, applies live changes in batches
 * (one store update per animation frame, however many arrive), and resyncs on a gap.
 */
export function connect(): () => void {
  const store = useStore.getState;
  // Reconnects back off from 1 s to 30 s, each delay randomised by ±50% so that a restarted
  // server is not hit by every reader at the same instant.
  const socket: LivedeskSocket = io({
    transports: ["websocket"],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 30_000,
    randomizationFactor: 0.5,
  });
  current = socket;

  let queue: Change[] = [];
  let flushScheduled = false;
  let syncing = false;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  const scheduleSave = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => saveView(store().view), 1000);
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
  socket.on("timeline:change", (change) => {
    queue.push(change);
    if (flushScheduled) return;
    flushScheduled = true;
    // Animation frames stop in a hidden tab; a timer keeps the "(N)" title counting there.
    if (document.visibilityState === "hidden") setTimeout(flush, 250);
    else requestAnimationFrame(flush);
  });
  socket.on("presence", ({ viewers }) => store().setViewers(viewers));
  socket.on("panel:presence", ({ operators }) => store().setOperatorsOnline(operators));

  const onOffline = () => store().setConnection("offline");
  const onOnline = () => {
    if (!socket.connected) {
      store().setConnection("reconnecting");
      socket.connect();
    }
  };
  window.addEventListener("offline", onOffline);
  window.addEventListener("online", onOnline);

  return () => {
    window.removeEventListener("offline", onOffline);
    window.removeEventListener("online", onOnline);
    clearTimeout(saveTimer);
    socket.close();
    if (current === socket) current = undefined;
  };
}
