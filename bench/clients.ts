/**
 * Light readers in a process of their own: raw websockets speaking just enough Engine.IO and
 * Socket.IO (or plain ws) to receive changes, each stamping every arrival. On livedesk they speak
 * protocol 2, as the dashboard does (a `timeline:changes` event per commit batch), or protocol 1
 * when told (`--livedesk-protocol 1` in bench/run.ts). Driven over IPC by bench/run.ts:
 * `connect`, `report` (the latencies since the last report), `reconnect` (all of them at once,
 * resuming from the last seq each saw) and `close`.
 */
import { encodeIntoCompressedBase64 } from "hdr-histogram-js";
import WebSocket from "ws";
import { latencyHistogram } from "./latency";

type Protocol = "livedesk" | "socketio" | "ws";
const now = () => performance.timeOrigin + performance.now();

interface Reader {
  ws: WebSocket;
  /** The last seq this reader saw (livedesk only). */
  seq: number | undefined;
  /** Called once the reader is connected and, on livedesk, synced. */
  onReady: () => void;
}

let readers: Reader[] = [];
/**
 * Every arrival's latency since the last report, in microseconds: a histogram of fixed size, not
 * an array, so that a long stream to thousands of readers leaves no garbage to collect in the
 * middle of the next one (here, or in bench/run.ts, which takes the reports).
 */
const latencies = latencyHistogram();
let received = 0;
/** The livedesk protocol the readers speak: 2 unless the benchmark asks for 1. */
let livedeskProtocol = 2;

/** Stamps every item in a message, by the intended send time the publisher wrote into it ("bench <i> <ms>"). */
function stamp(data: string): void {
  const at = now();
  for (const match of data.matchAll(/bench \d+ (\d+(?:\.\d+)?)/g)) {
    latencies.recordValue(Math.max(0, Math.round((at - Number(match[1])) * 1000)));
    received += 1;
  }
}

/** The highest seq in a message: the last change of a batch (a change and its item share their seq). */
function lastSeq(data: string): number | undefined {
  let last: number | undefined;
  for (const match of data.matchAll(/"seq":(\d+)/g)) last = Math.max(last ?? 0, Number(match[1]));
  return last;
}

function onMessage(protocol: Protocol, reader: Reader, data: string): void {
  if (protocol === "ws") {
    stamp(data);
    return;
  }
  if (data === "2") {
    reader.ws.send("3"); // Engine.IO ping → pong
  } else if (data.startsWith("0")) {
    reader.ws.send(protocol === "livedesk" && livedeskProtocol === 2 ? '40{"protocol":2}' : "40");
  } else if (data.startsWith("40")) {
    if (protocol === "socketio") reader.onReady();
    else
      reader.ws.send(
        `420["timeline:sync",${JSON.stringify(reader.seq === undefined ? {} : { since: reader.seq })}]`,
      );
  } else if (data.startsWith("430")) {
    const seq = /^430\[\{"seq":(\d+)/.exec(data)?.[1];
    if (seq !== undefined) reader.seq = Number(seq);
    reader.onReady();
  } else if (data.startsWith('42["timeline:change')) {
    // `timeline:change` (protocol 1, and the bare Socket.IO server) or `timeline:changes` (2).
    const seq = lastSeq(data);
    if (seq !== undefined) reader.seq = Math.max(reader.seq ?? 0, seq);
    stamp(data);
  }
}

function open(
  url: string,
  protocol: Protocol,
  seq: number | undefined,
): { reader: Reader; ready: Promise<void> } {
  const target =
    protocol === "ws"
      ? url.replace("http", "ws")
      : `${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(target, { perMessageDeflate: false });
  let onReady = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const reader: Reader = { ws, seq, onReady };
  ws.on("message", (data) => onMessage(protocol, reader, data.toString()));
  ws.on("error", () => {});
  if (protocol === "ws") ws.once("open", () => reader.onReady());
  return { reader, ready };
}

async function connect(url: string, protocol: Protocol, count: number): Promise<void> {
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const opened = open(url, protocol, undefined);
    readers.push(opened.reader);
    ready.push(opened.ready);
    // Open in small batches so the connection storm itself is not what is measured here.
    if (i % 200 === 199) await Promise.all(ready.splice(0));
  }
  await Promise.all(ready);
}

/** Drops every reader and brings all of them back at once; resolves with each one's time to resume. */
async function reconnect(url: string, protocol: Protocol): Promise<number[]> {
  const before = readers;
  for (const reader of before) reader.ws.terminate();
  const start = now();
  readers = [];
  const times = before.map((old) => {
    const { reader, ready } = open(url, protocol, old.seq);
    readers.push(reader);
    return ready.then(() => now() - start);
  });
  return Promise.all(times);
}

const protocolOf = (value: unknown): Protocol =>
  value === "ws" ? "ws" : value === "socketio" ? "socketio" : "livedesk";

process.on("message", (message: unknown) => {
  if (typeof message !== "object" || message === null) return;
  const command = Reflect.get(message, "command");
  const url = String(Reflect.get(message, "url"));
  const protocol = protocolOf(Reflect.get(message, "protocol"));
  if (Reflect.get(message, "livedeskProtocol") === 1) livedeskProtocol = 1;
  if (command === "connect") {
    void connect(url, protocol, Number(Reflect.get(message, "count"))).then(() =>
      process.send?.({ event: "connected" }),
    );
  } else if (command === "reconnect") {
    void reconnect(url, protocol).then((times) => process.send?.({ event: "reconnected", times }));
  } else if (command === "report") {
    process.send?.({ event: "report", received, latencies: encodeIntoCompressedBase64(latencies) });
    latencies.reset();
    received = 0;
  } else if (command === "close") {
    for (const reader of readers) reader.ws.terminate();
    readers = [];
    process.send?.({ event: "closed" });
  }
});
