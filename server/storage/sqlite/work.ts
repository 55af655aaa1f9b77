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

const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * `sql` prepared on `db` once and reused by every store on that connection: preparing is most of
 * a small query's cost, and the timers of an idle node (the wire poller, the alert lease, the
 * sequencer's check) run the same few queries every second or two.
 */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let statements = prepared.get(db);
  if (statements === undefined) {
    statements = new Map();
    prepared.set(db, statements);
  }
  let made = statements.get(sql);
  if (made === undefined) {
    made = db.prepare(sql);
    statements.set(sql, made);
  }
  return made;
}

/**
 * Runs `write` with `PRAGMA synchronous` at `level`, back to FULL after, the connection's own for
 * every other write. NORMAL puts a write in the WAL, safe from a crash of the process, but not
 * waited for on the disk, which on a busy disk takes hundreds of milliseconds of the event loop:
 * for the group commit (synced on the thread pool after) and for writes a power cut may take back
 * without harm (the alert dispatcher's lease, renewed every few seconds; the next synced write
 * makes it durable with everything before it). OFF is for the checkpoint, synced on its own.
 */
export function withSynchronous<T>(db: Database.Database, level: "NORMAL" | "OFF", write: () => T): T {
  statement(db, `PRAGMA synchronous = ${level}`).run();
  try {
    return write();
  } finally {
    statement(db, "PRAGMA synchronous = FULL").run();
  }
}
