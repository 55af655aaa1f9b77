import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type LivedeskApp } from "../../server/app";
import { RedisFanout } from "../../server/fanout/redis-fanout";
import { PgStorage } from "../../server/storage/postgres/pg-storage";
import { alertMessageSchema, pushKeySchema } from "../../shared/push";
import { call, publish } from "../helpers/http";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { type PushService, startPushService } from "../helpers/push-service";
import { Reader } from "../helpers/reader";
import { type RedisServer, startRedis } from "../helpers/redis";
import { tempDir } from "../helpers/server";

/** Two nodes on one PostgreSQL database, fanning out through Redis, as a cluster runs. */
let postgres: PostgresServer;
let redis: RedisServer;
let service: PushService;
const nodes: { livedesk: LivedeskApp; url: string }[] = [];
let token = "";

beforeAll(async () => {
  [postgres, redis, service] = await Promise.all([startPostgres(), startRedis(), startPushService()]);
  const url = await postgres.createDatabase();
  const logger = pino({ level: "silent" });
  for (let i = 0; i < 2; i += 1) {
    const storage = await PgStorage.open(url);
    const fanout = await RedisFanout.connect(redis.url, logger);
    const livedesk = await createApp(
      { clientDir: path.join(tempDir(), "no-client"), push: { insecureEndpoints: true } },
      { storage, push: storage.push(), logger, fanout },
    );
    const { port } = await livedesk.listen(0, "127.0.0.1");
    nodes.push({ livedesk, url: `http://127.0.0.1:${port}` });
    if (i === 0) await storage.createTopic({ slug: "world", name: "World" });
  }
  token = (await node(0).livedesk.auth.createToken("newsroom wire", "editor")).token;
}, 60_000);

afterAll(async () => {
  for (const n of nodes) await n.livedesk.close();
  await service?.close();
  await redis?.stop();
  await postgres?.stop();
});

function node(i: number) {
  const found = nodes[i];
  if (found === undefined) throw new Error(`no node ${i}`);
  return found;
}

/** Every alert of the commits so far, on every node, sent or given up. */
async function allSettled(): Promise<void> {
  await Promise.all(nodes.map((n) => n.livedesk.push?.idle()));
}

describe("push alerts on several nodes", () => {
  it("serves one key from every node and sends each alert once, from the node holding the lease", async () => {
    const keys = await Promise.all(
      nodes.map(async (n) => pushKeySchema.parse((await call(n.url, "GET", "/api/push/key")).body).publicKey),
    );
    expect(new Set(keys).size).toBe(1);

    const reader = service.subscribe();
    const subscribed = await call(node(1).url, "POST", "/api/push/subscriptions", {
      body: {
        subscription: { endpoint: reader.endpoint, keys: reader.keys },
        topics: ["world"],
        minUrgency: 3,
      },
    });
    expect(subscribed.status).toBe(201);

    // A reader on the other node proves the change reached it through Redis before we count.
    const watcher = new Reader(node(1).url);
    try {
      await watcher.waitForSyncs(1);
      const first = await publish(node(0).url, token, { headline: "Alert from node 0", breaking: true });
      const second = await publish(node(1).url, token, { headline: "Alert from node 1", breaking: true });
      await watcher.waitForSeq(Math.max(first.seq, second.seq));
      await allSettled();
      const titles = service.messages
        .filter((m) => m.endpoint === reader.endpoint)
        .map((m) => alertMessageSchema.parse(m.payload).title)
        .sort();
      expect(titles).toEqual(["Alert from node 0", "Alert from node 1"]);
      expect(keys[0]).toBeDefined();
      expect(service.messages.every((m) => m.vapidKey === keys[0])).toBe(true);
    } finally {
      watcher.close();
    }
  });
});
