/**
 * Light readers in a process of their own: raw websockets speaking just enough Engine.IO and
 * Socket.IO (or plain ws) to receive changes, each stamping every arrival. Driven over IPC by
 * bench/run.ts: `connect`, `report` (the latencies since the last report), `reconnect` (all of
 * them at once, resuming from the last seq each saw) and `close`.
 */
import WebSocket from "ws";

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
let latencies: number[] = [];
let received = 0;

/** The intended send time the publisher wrote into the item ("bench <i> <ms>"). */
function sentAt(text: string): number | null {
  const match = /bench \d+ (\d+(?:\.\d+)?)/.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

function stamp(data: string): void {
  const at = sentAt(data);
  if (at === null) return;
  latencies.push(now() - at);
  received += 1;
}

function onMessage(protocol: Protocol, reader: Reader, data: string): void {
  if (protocol === "ws") {
    stamp(data);
    return;
  }
  if (data === "2") {
    reader.ws.send("3"); // Engine.IO ping → pong
  } else if (data.startsWith("0")) {
    reader.ws.send("40");
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
  } else if (data.startsWith('42["timeline:change"')) {
    const seq = /^42\["timeline:change",\{"seq":(\d+)/.exec(data)?.[1];
    if (seq !== undefined) reader.seq = Math.max(reader.seq ?? 0, Number(seq));
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
  if (command === "connect") {
    void connect(url, protocol, Number(Reflect.get(message, "count"))).then(() =>
      process.send?.({ event: "connected" }),
    );
  } else if (command === "reconnect") {
    void reconnect(url, protocol).then((times) => process.send?.({ event: "reconnected", times }));
  } else if (command === "report") {
    process.send?.({ event: "report", received, latencies });
    latencies = [];
    received = 0;
  } else if (command === "close") {
    for (const reader of readers) reader.ws.terminate();
    readers = [];
    process.send?.({ event: "closed" });
  }
});
