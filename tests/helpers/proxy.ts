import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";

export interface LoopbackProxy {
  url: string;
  /** Websocket upgrades asked for so far (each a connection attempt of a Socket.IO client). */
  upgrades(): number;
  /** Drops every connection and refuses new ones, as a network that goes away. */
  cut(): void;
  /** Lets connections through again. */
  restore(): void;
  stop(): Promise<void>;
}

/**
 * A proxy on loopback in front of `target`: plain HTTP is forwarded, websocket upgrades too unless
 * `refuseUpgrades` (as some corporate and hotel proxies do). The Host header is passed on as the
 * browser sent it, so livedesk takes the proxy's origin for its own.
 */
export async function startProxy(
  target: string,
  options: { refuseUpgrades?: boolean } = {},
): Promise<LoopbackProxy> {
  const upstream = new URL(target);
  const open = new Set<Duplex>();
  let upgrades = 0;
  let cut = false;
  const track = (socket: Duplex) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  };

  const server = http.createServer((req, res) => {
    if (cut) {
      req.socket.destroy();
      return;
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => req.socket.destroy());
    req.pipe(forward);
  });
  server.on("connection", track);

  server.on("upgrade", (req, socket, head) => {
    upgrades += 1;
    if (cut) {
      socket.destroy();
      return;
    }
    if (options.refuseUpgrades) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const toServer = net.connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      toServer.write(`${lines.join("\r\n")}\r\n\r\n`);
      toServer.write(head);
      toServer.pipe(socket);
      socket.pipe(toServer);
    });
    track(toServer);
    toServer.on("error", () => socket.destroy());
    socket.on("error", () => toServer.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    upgrades: () => upgrades,
    cut() {
      cut = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      cut = false;
    },
    stop: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
