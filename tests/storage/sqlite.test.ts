import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SqliteStorage, toFtsQuery } from "../../server/storage/sqlite/sqlite-storage";
import { tempDir } from "../helpers/server";
import { storageContract } from "./contract";

storageContract("SQLite", async () => {
  const dir = tempDir();
  const storage = SqliteStorage.open(path.join(dir, "livedesk.db"));
  return {
    storage,
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

  it("turns search text into quoted prefix terms, so FTS5 syntax in it is harmless", () => {
    expect(toFtsQuery('storm "OR" coast*')).toBe('"storm"* "OR"* "coast"*');
    expect(toFtsQuery("Ünïcode façade")).toBe('"Ünïcode"* "façade"*');
    expect(toFtsQuery("—!?")).toBeNull();
  });
});
