import type { Logger } from "pino";
import type { Socket } from "socket.io";
import type { LivedeskServer } from "./socket";

/** Past this many bytes waiting to be sent to one reader, that reader is disconnected. */
export const DEFAULT_SOCKET_BUFFER_MAX_BYTES = 4 * 1024 * 1024;
const CHECK_EVERY_MS = 500;

type Connection = Socket["conn"];

function sizeOf(packet: unknown): number {
  if (typeof packet !== "object" || packet === null || !("data" in packet)) return 0;
  const { data } = packet;
  if (typeof data === "string") return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/**
 * What one connection holds that its client has not taken, counted from what Engine.IO tells
 * anyone who listens (its documented `packetCreate` and `flush` events and its transport's
 * `writable`), so that no private field of Socket.IO, Engine.IO or `ws` is read:
 *
 * - `queued`: packets Engine.IO holds because its transport is still busy with the last write.
 *   Each new packet adds to it; a flush hands all of them to the transport and empties it.
 * - `flushed`: the bytes of that last flush. While the transport is not writable again, the
 *   network has not taken them all (a websocket becomes writable once `ws` has handed the frames
 *   to the operating system).
 *
 * A client that stops reading leaves the transport busy, so everything sent after is `queued`.
 */
interface Backlog {
  queued: number;
  flushed: number;
}

/**
 * Every reader's backlog, by connection, let go with the connection. The listeners are shared by
 * all connections (Engine.IO calls them with the connection as `this`): a reader costs one entry
 * here, not two closures.
 */
const backlogs = new WeakMap<Connection, Backlog>();

function onPacketCreate(this: Connection, packet: unknown): void {
  const backlog = backlogs.get(this);
  if (backlog !== undefined) backlog.queued += sizeOf(packet);
}

function onFlush(this: Connection, buffer: unknown): void {
  const backlog = backlogs.get(this);
  if (backlog === undefined) return;
  let bytes = 0;
  if (Array.isArray(buffer)) for (const packet of buffer) bytes += sizeOf(packet);
  backlog.flushed = bytes;
  backlog.queued = 0;
}

const heldBytes = (conn: Connection, backlog: Backlog) =>
  backlog.queued + (conn.transport.writable ? 0 : backlog.flushed);

/**
 * Cuts a connection at once, buffer and all: a polite close would wait behind what the client
 * does not read. Engine.IO forgets the connection and what it queued for it; a websocket opened
 * as such (not upgraded from long-polling) runs on the TCP connection of the request that opened
 * the session, which is destroyed too, so the operating system's buffer goes with it. An upgraded
 * one is closed by `ws`, which destroys it within its close timeout.
 */
function cut(conn: Connection): void {
  const tcp = !conn.upgraded && conn.transport.name === "websocket" ? conn.request.socket : undefined;
  conn.close(true);
  tcp?.destroy();
}

/**
 * A reader that stops reading must not grow the server's memory without bound: every half second
 * the connections are checked, off the broadcast path, and one holding more than `maxBytes` is
 * dropped. Its client reconnects and resumes from its last seq, so it misses nothing.
 */
export function limitSlowReaders(io: LivedeskServer, logger: Logger, maxBytes: number): () => void {
  io.on("connection", (socket) => {
    backlogs.set(socket.conn, { queued: 0, flushed: 0 });
    socket.conn.on("packetCreate", onPacketCreate);
    socket.conn.on("flush", onFlush);
  });
  const timer = setInterval(() => {
    for (const socket of io.of("/").sockets.values()) {
      const backlog = backlogs.get(socket.conn);
      if (backlog === undefined) continue;
      const bytes = heldBytes(socket.conn, backlog);
      if (bytes <= maxBytes) continue;
      logger.warn({ socket: socket.id, bytes }, "dropping a reader that does not keep up");
      cut(socket.conn);
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
