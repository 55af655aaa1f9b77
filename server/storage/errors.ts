import { z } from "zod";

/**
 * A storage call that failed because of the storage itself, not the request: it is down, slow
 * past its deadline, or has no room to write. Nothing of the call was committed (a commit is one
 * transaction); the same call may succeed later, and a publish retried with the same
 * `Idempotency-Key` converges on one item.
 */
export class StorageError extends Error {
  constructor(
    readonly kind: "unavailable" | "full",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// What the drivers attach: better-sqlite3 `SQLITE_*` codes, PostgreSQL SQLSTATEs, Node's `E*` codes.
const coded = z.object({ code: z.string() });

/** SQLSTATEs that mean "the server cannot do it now", not "the request is wrong". */
const PG_UNAVAILABLE = new Set([
  "57014", // query_canceled: statement_timeout
  "55P03", // lock_not_available: lock_timeout
  "25P03", // idle_in_transaction_session_timeout
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down, in recovery)
  "53000", // insufficient_resources
  "53200", // out_of_memory
  "53300", // too_many_connections
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "58030", // io_error
]);
const PG_FULL = new Set(["53100"]); // disk_full

const NETWORK = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * The one place a driver's error is recognised as a storage failure. Anything else (a bug, a
 * constraint the code should have prevented) stays what it is and answers 500.
 */
export function asStorageError(error: unknown): StorageError | null {
  if (error instanceof StorageError) return error;
  const parsed = coded.safeParse(error);
  if (!parsed.success) return null;
  const { code } = parsed.data;
  const message = error instanceof Error ? error.message : code;
  if (code === "SQLITE_FULL" || PG_FULL.has(code))
    return new StorageError("full", `The storage's disk is full: ${message}`, { cause: error });
  if (
    code.startsWith("SQLITE_BUSY") ||
    code.startsWith("SQLITE_LOCKED") ||
    code.startsWith("SQLITE_IOERR") ||
    code === "SQLITE_CANTOPEN" ||
    code === "SQLITE_NOMEM" ||
    code.startsWith("08") || // connection_exception and its subclasses
    PG_UNAVAILABLE.has(code) ||
    NETWORK.has(code)
  )
    return new StorageError("unavailable", `The storage does not answer: ${message}`, { cause: error });
  return null;
}
