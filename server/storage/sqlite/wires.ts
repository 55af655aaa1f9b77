import type Database from "better-sqlite3";
import type { SqlClient } from "../../wires/store";
import { asStorageError } from "../errors";

/** The wire store's SQL on this SQLite database; failures become StorageErrors as the rest of the storage's do. */
export function sqliteSqlClient(db: Database.Database): SqlClient {
  const run = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw asStorageError(error) ?? error;
    }
  };
  return {
    async all(sql, params) {
      return run(() => {
        const statement = db.prepare(sql);
        if (statement.reader) return statement.all(...params);
        statement.run(...params);
        return [];
      });
    },
    async run(sql, params) {
      return run(() => {
        const statement = db.prepare(sql);
        return statement.reader ? statement.all(...params).length : statement.run(...params).changes;
      });
    },
  };
}
