/**
 * The bare transports livedesk is measured against, each in its own process: a Socket.IO server
 * and a `ws` server that broadcast whatever is POSTed to /publish, with no storage, no validation
 * and no sync. `node --import tsx bench/targets.ts socketio|ws` (bench/run.ts runs it compiled);
 * prints `{"port":N}` when listening.
 */
import { createServer } from "node:http";
import { Server } from "socket.io";
import { WebSocketServer } from "ws";

const kind = process.argv[2];
const server = createServer();
const broadcast: (payload: string) => void = (() => {
  if (kind === "socketio") {
    const io = new Server(server, { serveClient: false, perMessageDeflate: false });
    return (payload: string) => io.emit("timeline:change", JSON.parse(payload));
  }
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  return (payload: string) => {
    for (const client of wss.clients) client.send(payload);
  };
})();

server.on("request", (req, res) => {
  if (req.method !== "POST" || req.url !== "/publish") return;
  let body = "";
  req.on("data", (chunk: Buffer) => {
    body += chunk.toString();
  });
  req.on("end", () => {
    broadcast(body);
    res.writeHead(201).end();
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === "object" && address !== null ? address.port : 0 })}\n`,
  );
});
