import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Logger } from "pino";

/** Paths polled by probes and scrapers: answering them is not news. */
const QUIET = new Set(["/healthz", "/metrics"]);

/**
 * One JSON line per request once it is answered (or given up by the client): its id, method, URL,
 * client address, status and milliseconds taken. The id comes from the proxy's `X-Request-Id` when
 * there is a sane one, so one request can be followed through nginx and here, and is sent back.
 * Headers stay out of the line (they carry cookies and tokens).
 *
 * Written from the response's `close` with the one process logger: no logger is made per
 * request. pino-http did that, and on the publish path it cost a tenth of the CPU.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && /^[\w-]{1,100}$/.test(given) ? given : randomUUID();
    res.setHeader("X-Request-Id", id);
    const started = performance.now();
    res.once("close", () => {
      if (QUIET.has(req.originalUrl.split("?")[0] ?? "")) return;
      const line = {
        req: { id, method: req.method, url: req.originalUrl, remoteAddress: req.socket.remoteAddress },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - started),
      };
      if (!res.writableFinished) logger.warn(line, "request aborted");
      else if (res.statusCode >= 500) logger.error(line, "request failed");
      else logger.info(line, "request completed");
    });
    next();
  };
}
