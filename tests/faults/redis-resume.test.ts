import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type LivedeskApp } from "../../server/app";
import { RedisFanout } from "../../server/fanout/redis-fanout";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { publish } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { type RedisServer, startRedis } from "../helpers/redis";
import { tempDir } from "../helpers/server";

/**
 * What a node does when its Redis subscriber is back, on its own: the sequencer's regular check of
 * the storage is made a minute long here, so a change only reaches the other node's readers
 * through Redis or through the catch-up that follows a re-subscribe.
 */
const CHECK_EVERY_MS = 60_000;
/** What the issue promises: every reader complete this long after Redis answers again. */
const CONVERGE_MS = 2000;

let redis: RedisServer;
const nodes: { livedesk: LivedeskApp; url: string }[] = [];
const readers: Reader[] = [];
let token = "";

beforeAll(async () => {
  redis = await startRedis();
  const file = path.join(tempDir(), "livedesk.db");
  const logger = pino({ level: "silent" });
  for (let i = 0; i < 2; i += 1) {
    const storage = SqliteStorage.open(file);
    const fanout = await RedisFanout.connect(redis.url, logger);
    const livedesk = await createApp(
      { clientDir: path.join(tempDir(), "no-client"), sequencer: { checkEveryMs: CHECK_EVERY_MS } },
      { storage, logger, fanout },
    );
    const { port } = await livedesk.listen(0, "127.0.0.1");
    nodes.push({ livedesk, url: `http://127.0.0.1:${port}` });
    if (i === 0) await storage.createTopic({ slug: "world", name: "World" });
  }
  token = (await node(0).livedesk.auth.createToken("newsroom wire", "editor")).token;
}, 60_000);

afterAll(async () => {
  for (const r of readers) r.close();
  for (const n of nodes) await n.livedesk.close();
  await redis?.stop();
});

function node(i: number) {
  const found = nodes[i];
  if (found === undefined) throw new Error(`no node ${i}`);
  return found;
}

async function readerOn(i: number): Promise<Reader> {
  const reader = new Reader(node(i).url);
  readers.push(reader);
  await reader.waitForSyncs(1);
  return reader;
}

async function publishOn(i: number, count: number): Promise<number> {
  let last = 0;
  for (let n = 0; n < count; n += 1)
    last = (await publish(node(i).url, token, { headline: `Item ${n}` })).seq;
  return last;
}

/** Waits until Redis answers a PING and returns when it did. */
async function redisAnswers(): Promise<number> {
  await expect.poll(() => redis.cli("PING").trim(), { timeout: 10_000, interval: 20 }).toBe("PONG");
  return Date.now();
}

describe("catching up after the Redis subscriber is back, without the storage check", () => {
  it("a lost tail (published while Redis was down, nothing after) reaches the other node's readers once Redis is back", async () => {
    const [own, other] = await Promise.all([readerOn(0), readerOn(1)]);
    const start = other.seq;
    await redis.stop();
    const last = await publishOn(0, 3);
    // The publishing node's readers have them at once; the other node cannot know of them yet.
    await own.waitForSeq(last, 2000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(other.seq).toBe(start);
    await redis.start();
    const answering = await redisAnswers();
    await other.waitForSeq(last, CONVERGE_MS + 5000);
    expect(Date.now() - answering, "ms from Redis answering to the last reader complete").toBeLessThanOrEqual(
      CONVERGE_MS,
    );
    expect(other.applied.slice(-3)).toEqual([last - 2, last - 1, last]);
  }, 30_000);

  it("a re-subscribe that Redis refuses is tried again: the node catches up and hears changes through Redis again", async () => {
    const [own, other] = await Promise.all([readerOn(0), readerOn(1)]);
    // No channel allowed: Redis drops every subscriber, and refuses their re-subscribes (NOPERM)
    // and every publish, until channels are allowed again.
    redis.cli("ACL", "SETUSER", "default", "resetchannels");
    try {
      const last = await publishOn(0, 3);
      await own.waitForSeq(last, 2000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(other.seq).toBeLessThan(last);
    } finally {
      redis.cli("ACL", "SETUSER", "default", "allchannels");
    }
    const allowed = Date.now();
    const caughtUp = await publish(node(0).url, token, { headline: "Allowed again" }).then(
      (item) => item.seq,
    );
    // Within the retry interval (1 s) and the promise after it.
    await other.waitForSeq(caughtUp, 1000 + CONVERGE_MS + 5000);
    expect(Date.now() - allowed).toBeLessThanOrEqual(1000 + CONVERGE_MS);
    // The fan-out itself is back: a change reaches the other node through Redis, at once.
    const live = (await publish(node(0).url, token, { headline: "Through Redis" })).seq;
    await other.waitForSeq(live, 1000);
  }, 30_000);
});
