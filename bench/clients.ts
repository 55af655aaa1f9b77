/**
 * Light readers in a process of their own: raw websockets speaking just enough Engine.IO and
 * Socket.IO (or plain ws) to receive changes, each stamping every arrival. Driven over IPC by
 * bench/run.ts: `connect`, then `report` to get latencies back.
 */
import WebSocket from "ws";

type Protocol = "livedesk" | "socketio" | "ws";
const now = () => performance.timeOrigin + performance.now();

let sockets: WebSocket[] = [];
let latencies: number[] = [];
let received = 0;

/** The intended send time the publisher wrote into the item ("bench <i> <ms>"). */
function sentAt(text: string): number | null {
  const match = /bench \d+ (\d+(?:\.\d+)?)/.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

function onMessage(protocol: Protocol, ws: WebSocket, data: string): void {
  if (protocol === "ws") {
    const at = sentAt(data);
    if (at !== null) {
      latencies.push(now() - at);
      received += 1;
    }
    return;
  }
  if (data === "2") {
    ws.send("3"); // Engine.IO ping → pong
    return;
  }
  if (data.startsWith("0")) {
    ws.send("40");
    return;
  }
  if (data.startsWith("40") && protocol === "livedesk") {
    ws.send('420["timeline:sync",{}]');
    return;
  }
  if (data.startsWith('42["timeline:change"')) {
    const at = sentAt(data);
    if (at !== null) {
      latencies.push(now() - at);
      received += 1;
    }
  }
}

async function connect(url: string, protocol: Protocol, count: number): Promise<void> {
  const target =
    protocol === "ws"
      ? url.replace("http", "ws")
      : `${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`;
  const opened: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const ws = new WebSocket(target, { perMessageDeflate: false });
    ws.on("message", (data) => onMessage(protocol, ws, data.toString()));
    ws.on("error", () => {});
    sockets.push(ws);
    opened.push(new Promise((resolve) => ws.once("open", () => resolve())));
    // Open in small batches so the connection storm itself is not what is measured.
    if (i % 200 === 199) await Promise.all(opened.splice(0));
  }
  await Promise.all(opened);
}

process.on("message", (message: unknown) => {
  if (typeof message !== "object" || message === null) return;
  const command = Reflect.get(message, "command");
  if (command === "connect") {
    const url = String(Reflect.get(message, "url"));
    const protocol: Protocol =
      Reflect.get(message, "protocol") === "ws"
        ? "ws"
        : Reflect.get(message, "protocol") === "socketio"
          ? "socketio"
          : "livedesk";
    void connect(url, protocol, Number(Reflect.get(message, "count"))).then(() =>
      process.send?.({ event: "connected" }),
    );
  } else if (command === "report") {
    process.send?.({ event: "report", received, latencies });
    latencies = [];
    received = 0;
  } else if (command === "close") {
    for (const ws of sockets) ws.terminate();
    sockets = [];
    process.send?.({ event: "closed" });
  }
});
