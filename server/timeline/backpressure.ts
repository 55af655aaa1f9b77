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
 * The backlogs being counted, by connection, let go with the connection. Only a connection found
 * busy at a check is counted: a reader that keeps up is writable at every check and costs nothing
 * per packet, which at thousands of readers is most of a broadcast's time. The listeners are
 * shared by all connections (Engine.IO calls them with the connection as `this`).
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

/** Starts counting what `conn` is sent from now on, until it keeps up again. */
function watch(conn: Connection): Backlog {
  const backlog = { queued: 0, flushed: 0 };
  backlogs.set(conn, backlog);
  conn.on("packetCreate", onPacketCreate);
  conn.on("flush", onFlush);
  return backlog;
}

function unwatch(conn: Connection): void {
  backlogs.delete(conn);
  conn.off("packetCreate", onPacketCreate);
  conn.off("flush", onFlush);
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
 * the connections are checked, off the broadcast path. One whose transport is busy (a write not yet
 * taken by the operating system) is counted from then on, and dropped once it holds more than
 * `maxBytes` sent since; one writable again is no longer counted. Its client reconnects and resumes
 * from its last seq, so it misses nothing. What a reader held when it was first found busy is not
 * counted: at most half a second of changes beyond `maxBytes`.
 */
export function limitSlowReaders(io: LivedeskServer, logger: Logger, maxBytes: number): () => void {
  const timer = setInterval(() => {
    for (const socket of io.of("/").sockets.values()) {
      const conn = socket.conn;
      const backlog = backlogs.get(conn);
      if (backlog === undefined) {
        if (!conn.transport.writable) watch(conn);
        continue;
      }
      if (conn.transport.writable && backlog.queued === 0) {
        unwatch(conn);
        continue;
      }
      const bytes = heldBytes(conn, backlog);
      if (bytes <= maxBytes) continue;
      logger.warn({ socket: socket.id, bytes }, "dropping a reader that does not keep up");
      cut(conn);
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
