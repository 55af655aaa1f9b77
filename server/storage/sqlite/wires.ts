import type Database from "better-sqlite3";
import type { SqlClient } from "../../wires/store";
import { sqliteWork, statement } from "./work";

/** The wire store's SQL on this SQLite database; failures become StorageErrors as the rest of the storage's do. */
export function sqliteSqlClient(db: Database.Database): SqlClient {
  return {
    async all(sql, params) {
      return sqliteWork(() => {
        const prepared = statement(db, sql);
        if (prepared.reader) return prepared.all(...params);
        prepared.run(...params);
        return [];
      });
    },
    async run(sql, params) {
      return sqliteWork(() => {
        const prepared = statement(db, sql);
        return prepared.reader ? prepared.all(...params).length : prepared.run(...params).changes;
      });
    },
  };
}
