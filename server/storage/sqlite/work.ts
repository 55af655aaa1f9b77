import type Database from "better-sqlite3";
import { asStorageError } from "../errors";

/**
 * better-sqlite3 answers synchronously; the stores' interfaces are promises, as PostgreSQL's must
 * be. A driver failure (disk full, database locked) is rejected as a StorageError, as the rest of
 * the storage's are; anything else is rejected as it is.
 */
export function sqliteWork<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(asStorageError(error) ?? error);
  }
}

/**
 * Runs `write` with `synchronous=NORMAL`: in the WAL, safe from a crash of the process, but not
 * waited for on the disk, which on a busy disk takes hundreds of milliseconds of the event loop.
 * For writes a power cut may take back without harm (the alert dispatcher's lease, renewed every
 * few seconds); the next synced write makes it durable with everything before it.
 */
export function unsynced<T>(db: Database.Database, write: () => T): T {
  db.pragma("synchronous = NORMAL");
  try {
    return write();
  } finally {
    db.pragma("synchronous = FULL");
  }
}
