import type pg from "pg";
import { numberedPlaceholders, type SqlClient } from "../../wires/store";

/** The wire store's SQL through the storage's own query path (deadlines, StorageErrors). */
export function pgSqlClient(query: (sql: string, params: unknown[]) => Promise<pg.QueryResult>): SqlClient {
  return {
    async all(sql, params) {
      return (await query(numberedPlaceholders(sql), [...params])).rows;
    },
    async run(sql, params) {
      return (await query(numberedPlaceholders(sql), [...params])).rowCount ?? 0;
    },
  };
}
