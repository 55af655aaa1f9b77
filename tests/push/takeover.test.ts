import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { alertMessageSchema } from "../../shared/push";
import { setUpDesk } from "../helpers/admin";
import { call, publish } from "../helpers/http";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { type ServerProcess, spawnServer } from "../helpers/process";
import { type PushService, startPushService } from "../helpers/push-service";
import { type RedisServer, startRedis } from "../helpers/redis";
import { tempDir } from "../helpers/server";

/*
 * The fault: the node that committed a flash is killed (SIGKILL) after the commit, before its
 * alert reached the push service. The change log is the outbox (server/push/dispatch.ts): the
 * other node takes the lease over once it runs out and sends the alert still owed, and only that.
 */

const PASSWORD = "takeover-admin-password";
let postgres: PostgresServer;
let redis: RedisServer;
let service: PushService;
let databaseUrl = "";
const running: ServerProcess[] = [];

beforeAll(async () => {
  [postgres, redis, service] = await Promise.all([startPostgres(), startRedis(), startPushService()]);
  databaseUrl = await postgres.createDatabase();
}, 60_000);

afterAll(async () => {
  for (const node of running) node.child.kill("SIGKILL");
  await service?.close();
  await redis?.stop();
  await postgres?.stop();
});

async function startNode(
  env: Record<string, string> = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url },
): Promise<ServerProcess> {
  const node = await spawnServer({
    ...env,
    LIVEDESK_ADMIN_PASSWORD: PASSWORD,
    LIVEDESK_PUSH_INSECURE_ENDPOINTS: "1",
  });
  running.push(node);
  return node;
}

/** `livedesk_push_sending` in the node's /metrics: 1 while it is the node sending alerts. */
async function sending(node: ServerProcess): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return Number(/^livedesk_push_sending (\d+)$/m.exec(text)?.[1]);
}

/** The seq through which the cluster has recorded every alert as settled. */
async function alertedThrough(): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT alerted_through FROM push_dispatch");
    return z.object({ alerted_through: z.coerce.number() }).parse(rows[0]).alerted_through;
  } finally {
    await client.end();
  }
}

describe("an alert whose node dies between commit and send", () => {
  it("is sent by the other node once the dead node's lease runs out, and nothing already sent goes again", async () => {
    // The first node to start takes the lease; the second waits for it.
    const first = await startNode();
    const second = await startNode();
    expect(await sending(first)).toBe(1);
    expect(await sending(second)).toBe(0);
    const { editorToken } = await setUpDesk(first.url, PASSWORD);

    const reader = service.subscribe();
    const subscribed = await call(second.url, "POST", "/api/push/subscriptions", {
      body: {
        subscription: { endpoint: reader.endpoint, keys: reader.keys },
        topics: ["world"],
        minUrgency: 1,
      },
    });
    expect(subscribed.status).toBe(201);
    const titles = () =>
      service.messages
        .filter((m) => m.endpoint === reader.endpoint)
        .map((m) => alertMessageSchema.parse(m.payload).title);

    const sent = await publish(second.url, editorToken, { headline: "Flash before the crash", urgency: 1 });
    await service.waitForMessages(1);
    // Recorded as settled: a node taking over goes on after it.
    await vi.waitFor(async () => expect(await alertedThrough()).toBeGreaterThanOrEqual(sent.seq), {
      timeout: 15_000,
      interval: 50,
    });

    // The push service takes the next message to this reader and does not answer: the node dies
    // with the alert committed and not delivered.
    let answer = () => {};
    service.answerNext(reader.endpoint, {
      status: 503,
      hold: new Promise<void>((resolve) => (answer = resolve)),
    });
    await publish(first.url, editorToken, { headline: "Flash the dead node owed", urgency: 1 });
    await vi.waitFor(() => expect(service.requests(reader.endpoint)).toBe(2), {
      timeout: 15_000,
      interval: 20,
    });
    first.child.kill("SIGKILL");
    await first.exited;
    answer();

    await service.waitForMessages(2, 60_000);
    expect(titles()).toEqual(["Flash before the crash", "Flash the dead node owed"]);
    expect(await sending(second)).toBe(1);

    // From now on the survivor sends at once, and once.
    await publish(second.url, editorToken, { headline: "Flash after the takeover", urgency: 1 });
    await service.waitForMessages(3);
    expect(titles()).toEqual([
      "Flash before the crash",
      "Flash the dead node owed",
      "Flash after the takeover",
    ]);
  }, 120_000);

  it("is sent by the one node of a SQLite desk when it is back from the crash", async () => {
    const env = { DATABASE_URL: `sqlite:${path.join(tempDir(), "livedesk.db")}` };
    const desk = await startNode(env);
    const { editorToken } = await setUpDesk(desk.url, PASSWORD);
    const reader = service.subscribe();
    const subscribed = await call(desk.url, "POST", "/api/push/subscriptions", {
      body: {
        subscription: { endpoint: reader.endpoint, keys: reader.keys },
        topics: ["world"],
        minUrgency: 1,
      },
    });
    expect(subscribed.status).toBe(201);
    let answer = () => {};
    service.answerNext(reader.endpoint, {
      status: 503,
      hold: new Promise<void>((resolve) => (answer = resolve)),
    });
    await publish(desk.url, editorToken, { headline: "Flash owed across a restart", urgency: 1 });
    await vi.waitFor(() => expect(service.requests(reader.endpoint)).toBe(1), {
      timeout: 15_000,
      interval: 20,
    });
    desk.child.kill("SIGKILL");
    await desk.exited;
    answer();
    const before = service.messages.length;

    // Back on the same file, it takes the lease over once the dead process's lease has run out.
    await startNode(env);
    const [delivered] = (await service.waitForMessages(before + 1, 60_000)).slice(before);
    expect(delivered?.endpoint).toBe(reader.endpoint);
    expect(alertMessageSchema.parse(delivered?.payload).title).toBe("Flash owed across a restart");
  }, 120_000);
});
