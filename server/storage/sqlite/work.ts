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
