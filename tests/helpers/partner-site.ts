import http from "node:http";

/**
 * A partner's site on loopback, on an origin of its own (`http://localhost:PORT`, where livedesk
 * is at 127.0.0.1: another site to the browser), serving one page of the partner's HTML, as
 * `page()` gives it at the time of the request.
 */
export async function startPartnerSite(page: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://localhost:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
