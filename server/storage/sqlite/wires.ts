import type Database from "better-sqlite3";
import type { SqlClient } from "../../wires/store";
import { sqliteWork } from "./work";

/** The wire store's SQL on this SQLite database; failures become StorageErrors as the rest of the storage's do. */
export function sqliteSqlClient(db: Database.Database): SqlClient {
  return {
    async all(sql, params) {
      return sqliteWork(() => {
        const statement = db.prepare(sql);
        if (statement.reader) return statement.all(...params);
        statement.run(...params);
        return [];
      });
    },
    async run(sql, params) {
      return sqliteWork(() => {
        const statement = db.prepare(sql);
        return statement.reader ? statement.all(...params).length : statement.run(...params).changes;
      });
    },
  };
}
