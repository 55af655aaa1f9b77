import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushStore, StoredPushSubscription } from "../../server/push/store";
import { PgStorage } from "../../server/storage/postgres/pg-storage";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { tempDir } from "../helpers/server";

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres.stop();
});

/** Two nodes on one database: each opens the storage itself, as `server/main.ts` does. */
interface Backend {
  nodes(): Promise<{ stores: [PushStore, PushStore]; close: () => Promise<void> }>;
}

const backends: [string, Backend][] = [
  [
    "SQLite",
    {
      async nodes() {
        const file = path.join(tempDir(), "livedesk.db");
        const a = SqliteStorage.open(file);
        const b = SqliteStorage.open(file);
        return {
          stores: [a.push(), b.push()],
          close: async () => void (await Promise.all([a.close(), b.close()])),
        };
      },
    },
  ],
  [
    "PostgreSQL",
    {
      async nodes() {
        const url = await postgres.createDatabase();
        const a = await PgStorage.open(url);
        const b = await PgStorage.open(url);
        return {
          stores: [a.push(), b.push()],
          close: async () => void (await Promise.all([a.close(), b.close()])),
        };
      },
    },
  ],
];

function subscription(endpoint: string, topics: string[], minUrgency: number): StoredPushSubscription {
  return {
    endpoint,
    p256dh: `key-${endpoint}`,
    auth: "secret",
    topics,
    minUrgency,
    createdAt: "2026-11-26T10:00:00.000Z",
  };
}

describe.each(backends)("push store on %s", (_name, backend) => {
  it("keeps the first key pair made, so every node signs with the same one", async () => {
    const { stores, close } = await backend.nodes();
    try {
      const [first, second] = await Promise.all([
        stores[0].vapidKeys({ publicKey: "public-a", privateKey: "private-a" }),
        stores[1].vapidKeys({ publicKey: "public-b", privateKey: "private-b" }),
      ]);
      expect(second).toEqual(first);
      expect(await stores[1].vapidKeys({ publicKey: "public-c", privateKey: "private-c" })).toEqual(first);
    } finally {
      await close();
    }
  });

  it("keeps an endpoint once and finds subscribers by topic and threshold", async () => {
    const { stores, close } = await backend.nodes();
    const [a, b] = stores;
    try {
      await a.saveSubscription(subscription("https://push.example/1", ["world"], 3));
      await b.saveSubscription(subscription("https://push.example/1", ["sport", "world"], 1));
      await a.saveSubscription(subscription("https://push.example/2", ["sport"], 3));
      await a.saveSubscription(subscription("https://push.example/3", ["politics"], 2));
      expect(await b.countSubscriptions()).toBe(3);

      const endpoints = async (topics: string[], urgency: number) =>
        (await b.subscribersFor(topics, urgency)).map((s) => s.endpoint).sort();
      expect(await endpoints(["sport"], 3)).toEqual(["https://push.example/2"]);
      expect(await endpoints(["sport"], 1)).toEqual(["https://push.example/1", "https://push.example/2"]);
      expect(await endpoints(["world", "politics"], 2)).toEqual(["https://push.example/3"]);
      expect(await endpoints(["world", "politics"], 1)).toEqual([
        "https://push.example/1",
        "https://push.example/3",
      ]);
      expect(await endpoints(["culture"], 1)).toEqual([]);
      const [found] = await b.subscribersFor(["world"], 1);
      expect(found).toEqual(subscription("https://push.example/1", ["sport", "world"], 1));

      expect(await a.deleteSubscription("https://push.example/1")).toBe(true);
      expect(await a.deleteSubscription("https://push.example/1")).toBe(false);
      expect(await endpoints(["world", "sport"], 1)).toEqual(["https://push.example/2"]);
    } finally {
      await close();
    }
  });

  it("leases sending alerts to one node at a time, taken over once it runs out, and never moves the cursor back", async () => {
    const { stores, close } = await backend.nodes();
    const [a, b] = stores;
    const at = (seconds: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, seconds)).toISOString();
    try {
      // A fresh database starts at its current seq (0): nothing before push alerts is owed.
      expect(await a.claimDispatch("node-a", at(0), at(10))).toBe(0);
      expect(await b.claimDispatch("node-b", at(5), at(15))).toBeNull();
      expect(await a.renewDispatch("node-a", at(20), 7)).toBe(true);
      expect(await b.claimDispatch("node-b", at(15), at(25))).toBeNull();
      // Node A stops renewing: once its lease has run out, B goes on from where A recorded.
      expect(await b.claimDispatch("node-b", at(21), at(31))).toBe(7);
      expect(await a.renewDispatch("node-a", at(40), 9)).toBe(false);
      expect(await b.renewDispatch("node-b", at(35), 5)).toBe(true);
      // A shutdown gives the lease back at once.
      await b.releaseDispatch("node-b", 6);
      expect(await a.claimDispatch("node-a", at(22), at(32))).toBe(7);
    } finally {
      await close();
    }
  });
});
