import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Cluster,
  close,
  crowd,
  expectComplete,
  sleep,
  startCluster,
  startPublisher,
} from "../helpers/cluster";

/** `npm run test:faults` injects each fault more times and for longer; CI once, briefly. */
const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 1);
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 2000);
/** What the issue promises: every reader complete this long after Redis answers again. */
const CONVERGE_MS = 2000;
/** Each test injects its fault ROUNDS times. */
const TEST_TIMEOUT_MS = ROUNDS * (OUTAGE_MS + 20_000);

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster("redis-faults-admin-password");
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

const node = (i: number) => cluster.node(i);

/** Waits until Redis answers a PING and returns when it did. */
async function redisAnswers(): Promise<number> {
  await expect.poll(() => cluster.redis.cli("PING").trim(), { timeout: 10_000, interval: 20 }).toBe("PONG");
  return Date.now();
}

describe(`Redis faults under a publisher at 50/s with readers on three nodes (${ROUNDS} round(s) each)`, () => {
  it(
    "CLIENT KILL TYPE pubsub: every reader gets every change, once and in order, while publishing goes on",
    async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const { readers, start } = await crowd(cluster);
        const publisher = startPublisher({ token: cluster.token, target: (i) => node(i % 3).url });
        await sleep(500);
        // Several times, so that some changes are surely published while no node is subscribed.
        const kills = Math.max(1, Math.round(OUTAGE_MS / 500));
        for (let kill = 0; kill < kills; kill += 1) {
          cluster.redis.cli("CLIENT", "KILL", "TYPE", "pubsub");
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
        const { readers, byNode, start } = await crowd(cluster);
        const publisher = startPublisher({ token: cluster.token, target: () => node(0).url });
        await sleep(300);
        cluster.redis.pause();
        try {
          await sleep(OUTAGE_MS);
          // Commits on node 0 reach node 0's readers without Redis.
          const now = publisher.last();
          const own = byNode[0] ?? [];
          await Promise.all(own.map((r) => r.waitForSeq(now, 1000)));
        } finally {
          cluster.redis.resume();
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
        const { readers, start } = await crowd(cluster);
        const publisher = startPublisher({ token: cluster.token, target: (i) => node(i % 3).url });
        await sleep(300);
        await cluster.redis.stop();
        await sleep(OUTAGE_MS);
        await cluster.redis.start();
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
        const { readers, start } = await crowd(cluster);
        await cluster.redis.stop();
        const publisher = startPublisher({ token: cluster.token, target: (i) => node(i % 3).url });
        await sleep(Math.min(OUTAGE_MS, 1000));
        const { last } = await publisher.stop();
        expect(last - start).toBeGreaterThan(5);
        await cluster.redis.start();
        const answering = await redisAnswers();
        await expectComplete(readers, start, last, answering + CONVERGE_MS);
        close(readers);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
