import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** How the feed server answers one path. */
export type FeedRoute = (req: IncomingMessage, res: ServerResponse) => void;

export interface FeedServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Every request, in order: its path and headers. */
  requests: { path: string; headers: IncomingHttpHeaders }[];
  /** Answers `path` with `route` from now on. */
  route(path: string, route: FeedRoute): void;
  /** The requests made to `path`. */
  requestsTo(path: string): { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A publisher's web server on loopback: real HTTP, each path answered as the test says. Unknown paths are 404. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, FeedRoute>();
  const requests: FeedServer["requests"] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push({ path, headers: req.headers });
    const route = routes.get(path);
    if (route === undefined) res.writeHead(404).end("not here");
    else route(req, res);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the feed server is not on TCP");
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(path, route) {
      routes.set(path, route);
    },
    requestsTo(path) {
      return requests.filter((r) => r.path === path);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers with `body` as `type`; an ETag, when given, makes a matching If-None-Match a 304. */
export function serveDocument(
  body: string | Buffer,
  type: string,
  etag?: string,
  headers: Record<string, string> = {},
): FeedRoute {
  return (req, res) => {
    if (etag !== undefined && req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag, ...headers }).end();
      return;
    }
    res
      .writeHead(200, { "content-type": type, ...(etag === undefined ? {} : { etag }), ...headers })
      .end(body);
  };
}
