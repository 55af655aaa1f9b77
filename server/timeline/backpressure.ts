import type { Logger } from "pino";
import type { LivedeskServer } from "./socket";

/** Past this many bytes waiting to be sent to one reader, that reader is disconnected. */
export const DEFAULT_SOCKET_BUFFER_MAX_BYTES = 4 * 1024 * 1024;
const CHECK_EVERY_MS = 500;

function sizeOf(data: unknown): number {
  if (typeof data === "string") return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** The `ws` socket under an Engine.IO connection on the websocket transport. */
function websocketOf(conn: object): object | undefined {
  const transport: unknown = Reflect.get(conn, "transport");
  const ws: unknown =
    typeof transport === "object" && transport !== null ? Reflect.get(transport, "socket") : undefined;
  return typeof ws === "object" && ws !== null ? ws : undefined;
}

/**
 * Bytes the server holds for one connection: packets Engine.IO has not handed to the transport
 * yet, plus what the websocket has queued but the network has not taken. Both live in fields the
 * libraries do not type as public, so they are read with checks rather than trusted.
 */
function bufferedBytes(conn: object): number {
  let bytes = 0;
  const writeBuffer: unknown = Reflect.get(conn, "writeBuffer");
  if (Array.isArray(writeBuffer)) {
    for (const packet of writeBuffer) {
      if (typeof packet === "object" && packet !== null) bytes += sizeOf(Reflect.get(packet, "data"));
    }
  }
  const ws = websocketOf(conn);
  if (ws !== undefined && "bufferedAmount" in ws && typeof ws.bufferedAmount === "number")
    bytes += ws.bufferedAmount;
  return bytes;
}

/**
 * A reader that stops reading must not grow the server's memory without bound: every half second
 * the connections are checked, off the broadcast path, and one holding more than `maxBytes` is
 * dropped. Its client reconnects and resumes from its last seq, so it misses nothing.
 */
export function limitSlowReaders(io: LivedeskServer, logger: Logger, maxBytes: number): () => void {
  const timer = setInterval(() => {
    for (const socket of io.of("/").sockets.values()) {
      const bytes = bufferedBytes(socket.conn);
      if (bytes <= maxBytes) continue;
      logger.warn({ socket: socket.id, bytes }, "dropping a reader that does not keep up");
      // At once, buffer and all: a polite close would wait behind what it cannot send.
      const ws = websocketOf(socket.conn);
      if (ws !== undefined && "terminate" in ws && typeof ws.terminate === "function") ws.terminate();
      else socket.conn.close(true);
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
