import { type Logger, pino } from "pino";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/**
 * JSON logs on stdout, one line each.
 * Written asynchronously: a log reader that falls behind (a full pipe) must not stall the server
 * in the middle of a breaking story. Past 16 MB waiting, lines are dropped rather than memory
 * grown. `close()` waits until every line logged so far is written.
 */
export function createLogger(level: LogLevel): {
  logger: Logger;
  close: () => Promise<void>;
  /** Writes out every line logged so far, at once, for a process about to exit without `close()`. */
  flush: () => void;
} {
  const destination = pino.destination({ dest: 1, sync: false, maxLength: 16 * 1024 * 1024 });
  const logger = pino(
    {
      level,
      // Request lines carry no headers (server/http/request-log.ts); a password must never be logged.
      redact: ["password"],
    },
    destination,
  );
  const close = () =>
    new Promise<void>((resolve) => {
      destination.once("close", () => resolve());
      destination.end();
    });
  const flush = () => {
    try {
      destination.flushSync();
    } catch {
      // A log that cannot be written now cannot be written at all.
    }
  };
  return { logger, close, flush };
}
