import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrations } from "../../server/storage/sqlite/migrations";
import { SqliteStorage, toFtsQuery } from "../../server/storage/sqlite/sqlite-storage";
import { tempDir } from "../helpers/server";
import { storageContract } from "./contract";

storageContract("SQLite", async () => {
  const dir = tempDir();
  const file = path.join(dir, "livedesk.db");
  let storage = SqliteStorage.open(file);
  return {
    storage,
    reopen: async () => {
      await storage.close();
      storage = SqliteStorage.open(file);
      return storage;
    },
    dispose: async () => {
      await storage.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe("SQLite storage", () => {
  it("keeps its journal in WAL mode, so readers never wait for a writer", async () => {
    const dir = tempDir();
    const file = path.join(dir, "livedesk.db");
    const storage = SqliteStorage.open(file);
    const db = new Database(file);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("migrates once: reopening a file keeps its data", async () => {
    const dir = tempDir();
    const file = path.join(dir, "livedesk.db");
    const first = SqliteStorage.open(file);
    await first.createTopic({ slug: "world", name: "World" });
    await first.close();
    const second = SqliteStorage.open(file);
    expect(await second.listTopics()).toEqual([{ slug: "world", name: "World" }]);
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives a database made before epochs one when it migrates, and keeps it", async () => {
    const dir = tempDir();
    const file = path.join(dir, "livedesk.db");
    // The schema as the last release without epochs left it, with one change in its log.
    const before = migrations.length - 1;
    const old = new Database(file);
    for (const sql of migrations.slice(0, before)) old.exec(sql);
    old.pragma(`user_version = ${before}`);
    old.exec("UPDATE meta SET value = 7 WHERE key = 'seq'");
    old.close();
    const first = SqliteStorage.open(file);
    const epoch = await first.epoch();
    expect(epoch).toMatch(/^[0-9a-f]{32}$/);
    expect(await first.latestSeq()).toBe(7);
    await first.close();
    const second = SqliteStorage.open(file);
    expect(await second.epoch()).toBe(epoch);
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("turns search text into quoted prefix terms, so FTS5 syntax in it is harmless", () => {
    expect(toFtsQuery('storm "OR" coast*')).toBe('"storm"* "OR"* "coast"*');
    expect(toFtsQuery("Ünïcode façade")).toBe('"Ünïcode"* "façade"*');
    expect(toFtsQuery("—!?")).toBeNull();
  });
});
