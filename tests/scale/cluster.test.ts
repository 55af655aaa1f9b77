import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemSchema } from "../../shared/item";
import { setUpDesk } from "../helpers/admin";
import { freePort } from "../helpers/desk";
import { call } from "../helpers/http";
import { startNginx } from "../helpers/nginx";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { type ServerProcess, spawnServer } from "../helpers/process";
import { Reader } from "../helpers/reader";
import { type RedisServer, startRedis } from "../helpers/redis";

let postgres: PostgresServer;
let redis: RedisServer;
let nginx: { url: string; stop: () => Promise<void> };
let env: Record<string, string>;
const nodes: ServerProcess[] = [];
const ports: number[] = [];
let token = "";
const readers: Reader[] = [];

async function startNode(port: number): Promise<ServerProcess> {
  return spawnServer({ ...env, PORT: String(port) });
}

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  env = {
    DATABASE_URL: await postgres.createDatabase(),
    REDIS_URL: redis.url,
    LIVEDESK_ADMIN_PASSWORD: "cluster-admin-password",
    LOG_LEVEL: "info",
  };
  for (let i = 0; i < 3; i += 1) ports.push(await freePort());
  nodes.push(...(await Promise.all(ports.map(startNode))));
  nginx = await startNginx(ports);

  const first = nodes[0];
  if (first === undefined) throw new Error("no node");
  token = (await setUpDesk(first.url, env.LIVEDESK_ADMIN_PASSWORD ?? "")).editorToken;
}, 120_000);

afterAll(async () => {
  for (const reader of readers) reader.close();
  await nginx?.stop();
  for (const node of nodes) node.child.kill("SIGKILL");
  await redis?.stop();
  await postgres?.stop();
});

function reader(url: string): Reader {
  const r = new Reader(url);
  readers.push(r);
  return r;
}

async function publish(url: string, headline: string) {
  const answer = await call(url, "POST", "/api/items", { token, body: { headline, topics: ["world"] } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return itemSchema.parse(answer.body);
}

const node = (i: number): ServerProcess => {
  const found = nodes[i];
  if (found === undefined) throw new Error(`no node ${i}`);
  return found;
};

describe("three nodes on PostgreSQL and Redis behind nginx", () => {
  it("brings a change published on one node to readers on every node and through nginx, once and in order", async () => {
    const crowd = [
      reader(nginx.url),
      reader(nginx.url),
      reader(nginx.url),
      reader(node(0).url),
      reader(node(1).url),
      reader(node(2).url),
    ];
    await Promise.all(crowd.map((r) => r.waitForSyncs(1)));
    const start = Math.max(...crowd.map((r) => r.seq));
    const items = [];
    for (let i = 0; i < 12; i += 1) items.push(await publish(node(i % 3).url, `Cluster item ${i}`));
    const end = items.at(-1)?.seq ?? 0;
    expect(end).toBe(start + 12);
    await Promise.all(crowd.map((r) => r.waitForSeq(end)));
    for (const r of crowd) {
      expect(r.applied).toEqual(Array.from({ length: 12 }, (_, i) => start + i + 1));
      expect(r.syncs).toBe(1);
    }
  });

  it("keeps one gapless seq while all nodes publish at once", async () => {
    const watcher = reader(nginx.url);
    await watcher.waitForSyncs(1);
    const start = watcher.seq;
    const items = await Promise.all(
      Array.from({ length: 60 }, (_, i) => publish(node(i % 3).url, `Concurrent ${i}`)),
    );
    const seqs = items.map((item) => item.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => start + i + 1));
    await watcher.waitForSeq(start + 60);
    expect(new Set(watcher.applied).size).toBe(watcher.applied.length);
  });

  it("counts readers across all nodes", async () => {
    const counts: number[] = [];
    const r = reader(node(2).url);
    r.socket.on("presence", ({ viewers }) => counts.push(viewers));
    await expect.poll(() => counts.at(-1), { timeout: 10_000 }).toBe(readers.length);
  });

  it("lets the readers of a killed node resume on the others with no gap and no duplicate", async () => {
    const crowd = Array.from({ length: 9 }, () => reader(nginx.url));
    await Promise.all(crowd.map((r) => r.waitForSyncs(1)));
    let last = 0;
    const stream = (async () => {
      for (let i = 0; i < 30; i += 1) {
        last = (await publish(node(1 + (i % 2)).url, `Stream ${i}`)).seq;
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    node(0).child.kill("SIGKILL");
    await node(0).exited;
    await stream;
    await Promise.all(crowd.map((r) => r.waitForSeq(last, 20_000)));
    for (const r of crowd) {
      expect(new Set(r.applied).size).toBe(r.applied.length);
      expect(r.seq).toBe(last);
    }
    // Some of them were on the killed node and came back through nginx to another one.
    expect(crowd.some((r) => r.syncs > 1)).toBe(true);
    nodes[0] = await startNode(ports[0] ?? 0);
  });

  it("turns /readyz to 503 while Redis or PostgreSQL is away, and back to 200, without a crash", async () => {
    const url = node(1).url;
    const ready = async () => (await fetch(`${url}/readyz`)).status;
    expect(await ready()).toBe(200);
    await redis.stop();
    await expect.poll(ready, { timeout: 10_000 }).toBe(503);
    await redis.start();
    await expect.poll(ready, { timeout: 15_000 }).toBe(200);

    await postgres.pause();
    await expect.poll(ready, { timeout: 10_000 }).toBe(503);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(Number(/^livedesk_storage_errors_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    await postgres.resume();
    await expect.poll(ready, { timeout: 15_000 }).toBe(200);
    expect(node(1).child.exitCode).toBeNull();
    const after = await publish(url, "After the outages");
    expect(after.version).toBe(1);
  });
});
