import { pino } from "pino";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/**
 * JSON logs on stdout, one line each; secrets are redacted wherever they appear in a request.
 * Written asynchronously: a log reader that falls behind (a full pipe) must not stall the server
 * in the middle of a breaking story. The lines still buffered are written on a clean exit.
 */
export function createLogger(level: LogLevel) {
  return pino(
    {
      level,
      redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]', "password"],
    },
    pino.destination({ dest: 1, sync: false }),
  );
}
