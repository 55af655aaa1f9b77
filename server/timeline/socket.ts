import type { Logger } from "pino";
import type { Server } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents, SyncAck } from "../../shared/events";
import { handshakeAuthSchema, syncRequestSchema } from "../../shared/events";
import type { Change } from "../../shared/item";
import type { SocketData } from "../panel/socket";
import { asStorageError } from "../storage/errors";
import { ReaderBroadcast } from "./broadcast";
import { publicChange, publicSync } from "./public";
import type { Timeline } from "./timeline";

export type LivedeskServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** How often at most readers hear the viewer count: a reconnect storm must not become a presence storm. */
const PRESENCE_INTERVAL_MS = 1000;

/** A socket is a reader's unless its handshake says it serves an operator's panel. */
function isReader(auth: unknown): boolean {
  const parsed = handshakeAuthSchema.safeParse(auth);
  return !(parsed.success && parsed.data.surface === "panel");
}

/**
 * Wires the timeline to Socket.IO: answers `timeline:sync`, broadcasts each change once (both in
 * the public view, see public.ts) in the protocol each socket speaks (broadcast.ts), and tells
 * readers how many are watching. Returns a function that stops the presence timer.
 */
export function attachTimelineSocket(
  io: LivedeskServer,
  syncs: Pick<Timeline, "sync">,
  logger: Logger,
  countViewers: (local: number) => Promise<number> = async (local) => local,
): {
  broadcast: (change: Change) => void;
  /** Readers connected to this node (operators' panel tabs left out). */
  readers: () => number;
  stop: () => void;
} {
  const readers = new ReaderBroadcast(io);
  // Each node tells its own readers; the count covers every node. Operators' panel tabs follow
  // the timeline too, but they are not readers. They are the few, so they are the ones counted:
  // a reader's socket carries no listener of its own for this.
  let panelSockets = 0;
  const localReaders = () => io.of("/").sockets.size - panelSockets;
  let viewers = -1;
  const presenceTimer = setInterval(() => {
    countViewers(localReaders()).then(
      (now) => {
        if (now === viewers) return;
        viewers = now;
        io.local.emit("presence", { viewers });
      },
      (error: unknown) => logger.warn({ err: error }, "could not count readers"),
    );
  }, PRESENCE_INTERVAL_MS);
  presenceTimer.unref();

  /** One listener shared by every socket (it needs nothing of the socket): a reader costs no closure. */
  const onSync = async (request: unknown, ack: unknown) => {
    if (typeof ack !== "function") return;
    const reply = (answer: SyncAck) => ack(answer);
    const parsed = syncRequestSchema.safeParse(request ?? {});
    if (!parsed.success) {
      reply({
        error: {
          code: "invalid_input",
          message:
            "timeline:sync takes an object: { since?: number, epoch?: string, sinceChange?: { itemId, version, updatedAt } }.",
        },
      });
      return;
    }
    try {
      const { since, epoch, sinceChange } = parsed.data;
      reply(publicSync(await syncs.sync(since, epoch, sinceChange)));
    } catch (error) {
      if (asStorageError(error) !== null) {
        logger.warn({ err: error }, "timeline:sync could not read the storage");
        reply({
          error: {
            code: "storage_unavailable",
            message: "The server's storage does not answer; try again.",
          },
        });
        return;
      }
      logger.error({ err: error }, "timeline:sync failed");
      reply({ error: { code: "internal", message: "The server could not answer the sync; try again." } });
    }
  };

  io.on("connection", (socket) => {
    // First, before any change can be broadcast: the socket hears changes in its own protocol.
    readers.follow(socket);
    if (!isReader(socket.handshake.auth)) {
      panelSockets += 1;
      socket.once("disconnect", () => {
        panelSockets -= 1;
      });
    }
    socket.emit("presence", { viewers: Math.max(viewers, localReaders()) });
    socket.on("timeline:sync", onSync);
  });

  return {
    // Local: every node gets every change from the fan-out and serves its own readers, who all
    // see the public view of it (a retraction as its tombstone), operators' panels included.
    broadcast: (change) => readers.push(publicChange(change)),
    readers: localReaders,
    stop: () => clearInterval(presenceTimer),
  };
}
