import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { StorageError } from "../../server/storage/errors";
import { SqliteMediaStore } from "../../server/storage/sqlite/media";
import { SqlitePushStore } from "../../server/storage/sqlite/push";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { sqliteSqlClient } from "../../server/storage/sqlite/wires";
import { tempDir } from "../helpers/server";

/*
 * The SQLite media, push and wire stores share one way of failing: a database another writer
 * holds is a StorageError ("unavailable", so the API answers 503), and the same call works once
 * the writer lets go. Each store runs on its own connection that does not wait for the lock.
 */

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function connect(file: string): Database.Database {
  const db = new Database(file, { timeout: 0 });
  open.push(db);
  return db;
}

const writes: [string, (db: Database.Database) => Promise<unknown>][] = [
  [
    "media",
    (db) =>
      new SqliteMediaStore(db).saveMedia({
        id: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        contentType: "image/png",
        width: 1,
        height: 1,
        bytes: Buffer.from([1]),
        uploadedBy: "test",
        createdAt: "2026-11-26T10:00:00.000Z",
      }),
  ],
  [
    "push",
    (db) =>
      new SqlitePushStore(db).saveSubscription({
        endpoint: "https://push.example/1",
        p256dh: "key",
        auth: "secret",
        topics: ["world"],
        minUrgency: 3,
        createdAt: "2026-11-26T10:00:00.000Z",
      }),
  ],
  ["wire", (db) => sqliteSqlClient(db).run("DELETE FROM wire_entries", [])],
];

describe("a SQLite store whose database another writer holds", () => {
  it.each(writes)(
    "%s: fails with a StorageError, then writes once the lock is free",
    async (_name, write) => {
      const file = path.join(tempDir(), "livedesk.db");
      await SqliteStorage.open(file).close();
      const holder = connect(file);
      holder.exec("BEGIN IMMEDIATE");
      const store = connect(file);

      const failure = await write(store).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(StorageError);
      expect(failure).toMatchObject({ kind: "unavailable" });

      holder.exec("ROLLBACK");
      await expect(write(store)).resolves.not.toThrow();
    },
  );
});
