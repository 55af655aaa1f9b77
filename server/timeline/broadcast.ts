import { PacketType } from "socket.io-parser";
import * as ws from "ws";
import type { Change } from "../../shared/item";
import type { LivedeskServer } from "./socket";

type FrameOptions = { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean };

/**
 * `ws`'s own framing (`Sender.frame`), which Socket.IO uses for its broadcast fast path.
 * It is public in `ws` but missing from its type definitions, so it is looked up with a check.
 */
const frame: (data: Buffer, options: FrameOptions) => Buffer[] = (() => {
  const sender: unknown = Reflect.get(ws, "Sender");
  const fn: unknown = typeof sender === "function" ? Reflect.get(sender, "frame") : undefined;
  if (typeof fn !== "function") throw new Error("ws no longer exposes Sender.frame");
  return (data, options) => {
    const result: unknown = Reflect.apply(fn, sender, [data, options]);
    if (!Array.isArray(result) || !result.every((part) => Buffer.isBuffer(part)))
      throw new Error("ws Sender.frame returned something other than buffers");
    return result;
  };
})();

/**
 * Whether this transport will send `wsPreEncodedFrame` as it is. Engine.IO's websocket transport
 * says so itself (no per-message deflate, a `ws` sender to hand frames to); any other transport,
 * or one that would fall back to sending `data`, gets the packets one by one instead.
 */
function sendsPreEncoded(transport: object, options: object): boolean {
  const check: unknown = Reflect.get(transport, "_canSendPreEncodedFrame");
  return typeof check === "function" && Reflect.apply(check, transport, [{ options }]) === true;
}

const TEXT_FRAME: FrameOptions = { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true };

/**
 * Sends committed changes to this node's readers as `timeline:change` events, in the order they
 * are pushed. Each change is encoded once for every reader, as Socket.IO's own broadcast does. The
 * changes that arrive together (one group commit, or a burst) are also written together: each
 * reader on a websocket gets all of them as one pre-framed write, one system call instead of one
 * per change, which is what a busy desk spends most of its time on. Readers still on HTTP long
 * polling, or on any transport that would not send the frames as they are, get the same packets
 * one by one.
 */
export class ReaderBroadcast {
  private pending: Change[] = [];

  constructor(private readonly io: LivedeskServer) {}

  push(change: Change): void {
    this.pending.push(change);
    // After the promises settled in this turn (the rest of a group commit) have pushed theirs.
    if (this.pending.length === 1) process.nextTick(() => this.flush());
  }

  private flush(): void {
    const changes = this.pending;
    this.pending = [];
    if (changes.length <= 1) {
      for (const change of changes) this.io.local.emit("timeline:change", change);
      return;
    }
    // "2[…]" is a Socket.IO event in the default namespace; Engine.IO adds "4", a message.
    const packets = changes.map((change) => {
      const [packet] = this.io.encoder.encode({
        type: PacketType.EVENT,
        nsp: "/",
        data: ["timeline:change", change],
      });
      if (typeof packet !== "string") throw new Error("a change encoded to binary");
      return packet;
    });
    const framed = [Buffer.concat(packets.flatMap((packet) => frame(Buffer.from(`4${packet}`), TEXT_FRAME)))];
    // Engine.IO sends `wsPreEncodedFrame` as is on a websocket; `data` then only counts the bytes.
    const preEncoded = { compress: false, wsPreEncodedFrame: framed };
    const joined = packets.join("");
    for (const socket of this.io.of("/").sockets.values()) {
      const conn = socket.conn;
      if (conn.readyState !== "open") continue;
      if (sendsPreEncoded(conn.transport, preEncoded)) conn.write(joined, preEncoded);
      else for (const packet of packets) conn.write(packet);
    }
  }
}
