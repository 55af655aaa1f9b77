import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { toFtsQuery } from "../../server/storage/search";
import { migrations } from "../../server/storage/sqlite/migrations";
import { KEY_EVENT, SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { sampleDraft, sampleItem } from "../helpers/items";
import { tempDir } from "../helpers/server";
import { storageContract } from "./contract";

storageContract("SQLite", async () => {
  const dir = tempDir();
  const file = path.join(dir, "livedesk.db");
  let storage = SqliteStorage.open(file);
  // A connection of its own, around the storage, as someone with the file at hand would use.
  const around = async (sql: string, ...params: string[]) => {
    const db = new Database(file);
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };
  return {
    storage,
    tamper: {
      dropItem: (id) => around("DELETE FROM items WHERE id = ?", id),
      failAuditWrites: () =>
        around(
          "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit refused'); END",
        ),
    },
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

/** The WAL header's first salt: SQLite draws a new one each time it starts the WAL over. */
function walSalt(file: string): string {
  return fs.readFileSync(`${file}-wal`).subarray(16, 20).toString("hex");
}

describe("SQLite storage", () => {
  it("starts its WAL over while items keep coming, and loses none of them", async () => {
    const dir = tempDir();
    const file = path.join(dir, "livedesk.db");
    let storage = SqliteStorage.open(file);
    const salts = new Set<string>();
    // 10 items every 100 ms for 3 s: SQLite's own checkpoint (at 4,000 pages) would not run.
    for (let round = 0; round < 30; round += 1) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const id = `item-${round}-${i}`;
          return storage.commit({
            itemId: id,
            decide: () => ({ ok: true, kind: "created", item: sampleDraft(id) }),
          });
        }),
      );
      await storage.synced();
      salts.add(walSalt(file));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Started over about once a second (without the desk's own checkpoint: once, and 2.3 MB).
    expect(salts.size).toBeGreaterThanOrEqual(3);
    expect(fs.statSync(`${file}-wal`).size).toBeLessThan(1.5 * 1024 * 1024);

    await storage.close();
    storage = SqliteStorage.open(file);
    expect(await storage.latestSeq()).toBe(300);
    expect(await storage.changesSince(0, 1000)).toHaveLength(300);
    await storage.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

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

  it("makes items written by an older version searchable the new way, and reads them as never updated", async () => {
    const dir = tempDir();
    const file = path.join(dir, "livedesk.db");
    const old = new Database(file);
    for (const sql of migrations.slice(0, 2)) old.exec(sql);
    old.pragma("user_version = 2");
    const { contentUpdatedAt: _, ...older } = sampleItem("old", { headline: "الميزانية 🔥", version: 2 });
    old
      .prepare(
        "INSERT INTO items (id, seq, status, pinned, published_at, headline, summary, data) VALUES (?, 1, 'published', 0, ?, ?, '', ?)",
      )
      .run(older.id, older.publishedAt, older.headline, JSON.stringify(older));
    old.close();
    const storage = SqliteStorage.open(file);
    const base = { topics: [], after: undefined, limit: 10, status: "published" as const };
    for (const text of ["ميزانية", "🔥"]) {
      expect(
        (await storage.listItems({ ...base, text })).map((item) => [item.id, item.contentUpdatedAt]),
      ).toEqual([["old", null]]);
    }
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
    const before = migrations.findIndex((sql) => sql.includes("timeline_epoch"));
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

  it("reads key events from their own index, not by walking every item", async () => {
    const dir = tempDir();
    const file = path.join(dir, "livedesk.db");
    const storage = SqliteStorage.open(file);
    const db = new Database(file, { readonly: true });
    // The shape of listItems' query for the readers' "Key events" list.
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT data FROM items WHERE status = ? AND ${KEY_EVENT} ORDER BY published_at DESC, id DESC LIMIT ?`,
      )
      .all("published", 11);
    expect(JSON.stringify(plan)).toContain("items_key_events");
    db.close();
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("turns search text into quoted prefix terms, so FTS5 syntax in it is harmless", () => {
    expect(toFtsQuery('storm "OR" coast*')).toBe('"storm"* "or"* "coast"*');
    expect(toFtsQuery("Ünïcode façade")).toBe('"unicode"* "facade"*');
    expect(toFtsQuery("🔥")).toBe('"🔥"*');
    expect(toFtsQuery("—!?")).toBeNull();
  });
});
