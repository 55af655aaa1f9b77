import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgStorage } from "../../server/storage/postgres/pg-storage";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import type { EntryRecord, FetchRecord, SourceRecord, WireStore } from "../../server/wires/store";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { tempDir } from "../helpers/server";

/* The wire store's contract, on both storages: what the poller and the API rely on. */

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres.stop();
});

interface Opened {
  /** Two nodes' views of one database. */
  stores: [WireStore, WireStore];
  close(): Promise<void>;
}

const backends: [string, () => Promise<Opened>][] = [
  [
    "SQLite",
    async () => {
      const file = path.join(tempDir(), "livedesk.db");
      const a = SqliteStorage.open(file);
      const b = SqliteStorage.open(file);
      return {
        stores: [a.wires(), b.wires()],
        close: async () => void (await Promise.all([a.close(), b.close()])),
      };
    },
  ],
  [
    "PostgreSQL",
    async () => {
      const url = await postgres.createDatabase();
      const a = await PgStorage.open(url);
      const b = await PgStorage.open(url);
      return {
        stores: [a.wires(), b.wires()],
        close: async () => void (await Promise.all([a.close(), b.close()])),
      };
    },
  ],
];

function source(id: string, fields: Partial<SourceRecord> = {}): SourceRecord {
  return {
    id,
    url: `https://wire.example/${id}`,
    name: `Wire ${id}`,
    topics: ["world", "politics"],
    mode: "publish",
    enabled: true,
    intervalSeconds: null,
    adaptiveSeconds: 300,
    createdAt: "2026-03-01T10:00:00.000Z",
    lastFetchedAt: null,
    lastSuccessAt: null,
    lastStatus: null,
    lastError: null,
    nextFetchAt: "2026-03-01T10:00:00.000Z",
    consecutiveErrors: 0,
    disabledReason: null,
    entriesCreated: 0,
    etag: null,
    lastModified: null,
    ...fields,
  };
}

const T0 = "2026-03-01T10:00:00.000Z";
const T1 = "2026-03-01T10:01:00.000Z";
const T5 = "2026-03-01T10:05:00.000Z";

function fetched(fields: Partial<FetchRecord> = {}): FetchRecord {
  return {
    fetchedAt: T1,
    status: 200,
    error: null,
    succeeded: true,
    consecutiveErrors: 0,
    nextFetchAt: T5,
    etag: '"e1"',
    lastModified: "Sun, 01 Mar 2026 10:00:00 GMT",
    adaptiveSeconds: 120,
    entriesCreated: 3,
    disabledReason: null,
    ...fields,
  };
}

describe.each(backends)("the wire store on %s", (_name, open) => {
  it("keeps sources and their changes", async () => {
    const { stores, close } = await open();
    const [store] = stores;
    try {
      await store.createSource(source("a"));
      expect(await store.getSource("a")).toEqual(source("a"));
      expect(
        await store.updateSource("a", {
          name: "Renamed",
          topics: ["sport"],
          enabled: false,
          intervalSeconds: 60,
        }),
      ).toBe(true);
      expect(await store.getSource("a")).toMatchObject({
        name: "Renamed",
        topics: ["sport"],
        enabled: false,
        intervalSeconds: 60,
      });
      expect(await store.updateSource("missing", { name: "x" })).toBe(false);
      expect((await store.listSources()).map((s) => s.id)).toEqual(["a"]);
      expect(await store.deleteSource("a")).toBe(true);
      expect(await store.getSource("a")).toBeNull();
    } finally {
      await close();
    }
  });

  it("leases a due source to one node at a time, until the fetch is recorded or the lease runs out", async () => {
    const { stores, close } = await open();
    const [a, b] = stores;
    try {
      await a.createSource(source("due"));
      await a.createSource(source("later", { nextFetchAt: T5 }));
      await a.createSource(source("off", { enabled: false }));
      const [claimedA, claimedB] = await Promise.all([
        a.claimDue("A", T1, T5, 10),
        b.claimDue("B", T1, T5, 10),
      ]);
      expect([...claimedA, ...claimedB].map((s) => s.id)).toEqual(["due"]);
      expect(await b.claim("due", "B", T1, T5)).toBeNull();
      // Only the lease holder records the outcome.
      expect(await b.finishFetch("due", "B", fetched())).toBe(false);
      const owner = claimedA.length === 1 ? "A" : "B";
      const holder = owner === "A" ? a : b;
      expect(await holder.finishFetch("due", owner, fetched())).toBe(true);
      expect(await a.getSource("due")).toMatchObject({
        lastFetchedAt: T1,
        lastSuccessAt: T1,
        lastStatus: 200,
        nextFetchAt: T5,
        etag: '"e1"',
        adaptiveSeconds: 120,
        entriesCreated: 3,
      });
      // A failure keeps the validators and the last success, and can disable the source.
      expect(await a.claim("due", "A", T1, T5)).not.toBeNull();
      await a.finishFetch(
        "due",
        "A",
        fetched({
          succeeded: false,
          status: 410,
          error: "gone",
          etag: null,
          disabledReason: "410",
          entriesCreated: 0,
        }),
      );
      expect(await a.getSource("due")).toMatchObject({
        enabled: false,
        disabledReason: "410",
        lastError: "gone",
        etag: '"e1"',
        lastSuccessAt: T1,
        entriesCreated: 3,
      });
      // A node that died holding a lease loses it when it runs out.
      expect(await a.claim("later", "A", T1, T1)).not.toBeNull();
      expect(await b.claim("later", "B", T5, "2026-03-01T10:07:00.000Z")).not.toBeNull();
    } finally {
      await close();
    }
  });

  it("remembers each entry once per source, and settles a held entry once", async () => {
    const { stores, close } = await open();
    const [store] = stores;
    try {
      await store.createSource(source("s"));
      const entry: EntryRecord = {
        id: "e1",
        sourceId: "s",
        guid: "urn:1",
        state: "held",
        itemId: null,
        contentHash: "h1",
        headline: "Held",
        summary: "",
        url: null,
        publishedAt: T0,
        receivedAt: T1,
      };
      expect(await store.insertEntry(entry)).toBe(true);
      expect(await store.insertEntry({ ...entry, id: "e2" })).toBe(false);
      expect(await store.findEntry("s", "urn:1")).toEqual(entry);
      expect(await store.listHeld(10)).toEqual([{ ...entry, sourceName: "Wire s" }]);
      expect(await store.updateEntry({ ...entry, state: "published", itemId: "item1" }, "held")).toBe(true);
      expect(await store.updateEntry({ ...entry, state: "discarded" }, "held")).toBe(false);
      expect(await store.getEntry("e1")).toMatchObject({ state: "published", itemId: "item1" });
      expect(await store.listHeld(10)).toEqual([]);
    } finally {
      await close();
    }
  });
});
