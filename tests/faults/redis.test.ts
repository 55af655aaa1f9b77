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

/** `npm run test:faults` injects each fault more times and for longer; CI once, briefly. */
const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 1);
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 2000);
/** What the issue promises: every reader complete this long after Redis answers again. */
const CONVERGE_MS = 2000;
/** About 50 publishes a second. */
const PUBLISH_EVERY_MS = 20;
/** Each test injects its fault ROUNDS times. */
const TEST_TIMEOUT_MS = ROUNDS * (OUTAGE_MS + 20_000);

let postgres: PostgresServer;
let redis: RedisServer;
let nginx: { url: string; stop: () => Promise<void> };
const nodes: ServerProcess[] = [];
let token = "";

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const env = {
    DATABASE_URL: await postgres.createDatabase(),
    REDIS_URL: redis.url,
    LIVEDESK_ADMIN_PASSWORD: "redis-faults-admin-password",
  };
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  nodes.push(...(await Promise.all(ports.map((port) => spawnServer({ ...env, PORT: String(port) })))));
  nginx = await startNginx(ports);
  token = (await setUpDesk(node(0).url, env.LIVEDESK_ADMIN_PASSWORD)).editorToken;
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  for (const n of nodes) n.child.kill("SIGKILL");
  await redis?.stop();
  await postgres?.stop();
});

function node(i: number): ServerProcess {
  const found = nodes[i];
  if (found === undefined) throw new Error(`no node ${i}`);
  return found;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A newsroom tool publishing about 50 items a second until stopped, round the nodes or to one. */
function startPublisher(target: (i: number) => string) {
  const acknowledged: number[] = [];
  let lastAt = Date.now();
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i += 1) {
      const started = Date.now();
      const answer = await call(target(i), "POST", "/api/items", {
        token,
        body: { headline: `Fault item ${i}`, topics: ["world"] },
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      acknowledged.push(itemSchema.parse(answer.body).seq);
      lastAt = Date.now();
      await sleep(Math.max(0, PUBLISH_EVERY_MS - (Date.now() - started)));
    }
  })();
  return {
    acknowledged,
    last: () => Math.max(0, ...acknowledged),
    /** Stops publishing and resolves with the last acknowledged seq and when it was acknowledged. */
    async stop(): Promise<{ last: number; at: number }> {
      running = false;
      await done;
      return { last: Math.max(0, ...acknowledged), at: lastAt };
    },
  };
}

/** Readers on every node (two each) and one through nginx, all synced. */
async function crowd(): Promise<{ readers: Reader[]; byNode: Reader[][]; start: number }> {
  const byNode = [0, 1, 2].map((i) => [new Reader(node(i).url), new Reader(node(i).url)]);
  const readers = [...byNode.flat(), new Reader(nginx.url)];
  await Promise.all(readers.map((r) => r.waitForSyncs(1)));
  const start = Math.max(...readers.map((r) => r.seq));
  await Promise.all(readers.map((r) => r.waitForSeq(start)));
  return { readers, byNode, start };
}

/**
 * Every reader ends at `last`, having applied every change after `start` live, once and in seq
 * order (a reader that had to resync would miss some here), by `deadline`.
 */
async function expectComplete(readers: Reader[], start: number, last: number, deadline: number) {
  const reached = await Promise.all(
    readers.map(async (r) => {
      await r.waitForSeq(last, Math.max(deadline - Date.now(), 0) + 10_000);
      return Date.now();
    }),
  );
  for (const r of readers) {
    expect(r.seq).toBe(last);
    expect(r.applied).toEqual(Array.from({ length: last - start }, (_, i) => start + i + 1));
  }
  const late = Math.max(...reached) - deadline;
  expect(late, "the slowest reader's delay past the deadline, in ms").toBeLessThanOrEqual(0);
}

function close(readers: Reader[]): void {
  for (const r of readers) r.close();
}

/** Waits until Redis answers a PING and returns when it did. */
async function redisAnswers(): Promise<number> {
  await expect.poll(() => redis.cli("PING").trim(), { timeout: 10_000, interval: 20 }).toBe("PONG");
  return Date.now();
}

describe(`Redis faults under a publisher at 50/s with readers on three nodes (${ROUNDS} round(s) each)`, () => {
  it(
    "CLIENT KILL TYPE pubsub: every reader gets every change, once and in order, while publishing goes on",
    async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const { readers, start } = await crowd();
        const publisher = startPublisher((i) => node(i % 3).url);
        await sleep(500);
        // Several times, so that some changes are surely published while no node is subscribed.
        const kills = Math.max(1, Math.round(OUTAGE_MS / 500));
        for (let kill = 0; kill < kills; kill += 1) {
          redis.cli("CLIENT", "KILL", "TYPE", "pubsub");
          await sleep(250);
        }
        const answering = Date.now();
        // Steady load after the loss: a missing seq must not be waited on for as long as it lasts.
        await sleep(OUTAGE_MS / 2);
        const { last, at } = await publisher.stop();
        await expectComplete(readers, start, last, Math.max(answering, at) + CONVERGE_MS);
        close(readers);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "SIGSTOP: the publishing node's readers keep receiving; the others are complete 2 s after SIGCONT",
    async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const { readers, byNode, start } = await crowd();
        const publisher = startPublisher(() => node(0).url);
        await sleep(300);
        redis.pause();
        try {
          await sleep(OUTAGE_MS);
          // Commits on node 0 reach node 0's readers without Redis.
          const now = publisher.last();
          const own = byNode[0] ?? [];
          await Promise.all(own.map((r) => r.waitForSeq(now, 1000)));
        } finally {
          redis.resume();
        }
        const answering = await redisAnswers();
        await sleep(500);
        const { last, at } = await publisher.stop();
        await expectComplete(readers, start, last, Math.max(answering, at) + CONVERGE_MS);
        close(readers);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "Redis restarted empty: every reader is complete 2 s after it answers again",
    async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const { readers, start } = await crowd();
        const publisher = startPublisher((i) => node(i % 3).url);
        await sleep(300);
        await redis.stop();
        await sleep(OUTAGE_MS);
        await redis.start();
        const answering = await redisAnswers();
        await sleep(500);
        const { last, at } = await publisher.stop();
        await expectComplete(readers, start, last, Math.max(answering, at) + CONVERGE_MS);
        close(readers);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a lost tail (changes committed while Redis is down, nothing after) reaches every reader",
    async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const { readers, start } = await crowd();
        await redis.stop();
        const publisher = startPublisher((i) => node(i % 3).url);
        await sleep(Math.min(OUTAGE_MS, 1000));
        const { last } = await publisher.stop();
        expect(last - start).toBeGreaterThan(5);
        await redis.start();
        const answering = await redisAnswers();
        await expectComplete(readers, start, last, answering + CONVERGE_MS);
        close(readers);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
