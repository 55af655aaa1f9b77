import pg from "pg";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PgStorage } from "../../server/storage/postgres/pg-storage";
import { itemSchema } from "../../shared/item";
import { setUpDesk } from "../helpers/admin";
import { type Answer, call, errorOf } from "../helpers/http";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { type ServerProcess, spawnServer } from "../helpers/process";

/** Rounds of "freeze a node mid-publish"; `npm run test:faults` runs 20 (`FAULT_FREEZES`). */
const ROUNDS = Number(process.env.FAULT_FREEZES ?? 3);
const PASSWORD = "faults-admin-password";

const readyBody = z.object({
  status: z.enum(["ready", "unavailable"]),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  checks: z.object({
    storage: z.object({ status: z.string(), ms: z.number() }),
    fanout: z.object({ status: z.string() }),
    broadcast: z.object({ status: z.string(), seq: z.number() }),
  }),
});

let postgres: PostgresServer;
const processes: ServerProcess[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);

afterAll(async () => {
  for (const node of processes) {
    node.child.kill("SIGCONT");
    node.child.kill("SIGKILL");
  }
  await postgres?.stop();
});

async function startNode(url: string): Promise<ServerProcess> {
  const node = await spawnServer({ DATABASE_URL: url, LIVEDESK_ADMIN_PASSWORD: PASSWORD });
  processes.push(node);
  return node;
}

/** A fresh database with one node serving it, and an editor token. */
async function startDesk(): Promise<{ url: string; node: ServerProcess; token: string }> {
  const url = await postgres.createDatabase();
  const node = await startNode(url);
  const { editorToken } = await setUpDesk(node.url, PASSWORD);
  return { url, node, token: editorToken };
}

function publish(url: string, token: string, headline: string, key?: string): Promise<Answer> {
  return call(url, "POST", "/api/items", {
    token,
    body: { headline, topics: ["world"] },
    ...(key === undefined ? {} : { headers: { "idempotency-key": key } }),
  });
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

async function readyz(url: string) {
  const { value, ms } = await timed(call(url, "GET", "/readyz"));
  return { status: value.status, body: readyBody.parse(value.body), ms };
}

/** Retries a publish with the same Idempotency-Key, as a newsroom tool would, until it is answered 201. */
async function publishUntilAnswered(url: string, token: string, headline: string, key: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await publish(url, token, headline, key);
    if (answer.status === 201) return itemSchema.parse(answer.body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    if (Date.now() > deadline) throw new Error(`still ${answer.status} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function itemsWithHeadline(url: string, headline: string) {
  const found = await call(url, "GET", `/api/items?q=${encodeURIComponent(headline)}&limit=200`);
  return z
    .object({ items: z.array(itemSchema) })
    .parse(found.body)
    .items.filter((item) => item.headline === headline);
}

describe("PostgreSQL faults", () => {
  it("a hung PostgreSQL (SIGSTOP): /readyz says so within 1 s, publishes answer 503 and syncs storage_unavailable instead of hanging, a retry converges", async () => {
    const { node, token } = await startDesk();
    expect((await publish(node.url, token, "Before the freeze")).status).toBe(201);
    expect((await readyz(node.url)).status).toBe(200);

    const reader = io(node.url, { transports: ["websocket"], reconnection: false });
    await new Promise<void>((resolve) => reader.once("connect", () => resolve()));
    postgres.freeze();
    const syncing = reader.timeout(10_000).emitWithAck("timeline:sync", { since: 0 });
    try {
      for (let i = 0; i < 3; i += 1) {
        const ready = await readyz(node.url);
        expect(ready.status).toBe(503);
        expect(ready.ms).toBeLessThan(1000);
        expect(ready.body.error?.code).toBe("storage_unavailable");
        expect(ready.body.checks.storage.status).toMatch(/slow|down/);
      }
      // A crowd of publishes, one of them with a key it will retry, and a reader's sync: none hangs.
      const { value: answers, ms } = await timed(
        Promise.all([
          publish(node.url, token, "Frozen keyed", "frozen-key-1"),
          ...Array.from({ length: 15 }, (_, i) => publish(node.url, token, `Frozen ${i}`)),
        ]),
      );
      expect(ms).toBeLessThan(10_000);
      expect(await syncing).toMatchObject({ error: { code: "storage_unavailable" } });
      for (const answer of answers) {
        expect(answer.status, JSON.stringify(answer.body)).toBe(503);
        expect(errorOf(answer).code).toBe("storage_unavailable");
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
      }
    } finally {
      postgres.thaw();
      reader.close();
    }

    await expect.poll(async () => (await readyz(node.url)).status, { timeout: 15_000 }).toBe(200);
    const item = await publishUntilAnswered(node.url, token, "Frozen keyed", "frozen-key-1");
    const again = await publish(node.url, token, "Frozen keyed", "frozen-key-1");
    expect(again.status).toBe(201);
    expect(itemSchema.parse(again.body).id).toBe(item.id);
    expect(await itemsWithHeadline(node.url, "Frozen keyed")).toHaveLength(1);
    expect((await publish(node.url, token, "After the thaw")).status).toBe(201);
  });

  it("a PostgreSQL restart: 503 storage_unavailable with Retry-After meanwhile, then publishing resumes and a retry converges", async () => {
    const { url, node, token } = await startDesk();
    expect((await publish(node.url, token, "Before the restart")).status).toBe(201);
    // The test server runs without durability (synchronous_commit=off) and pause() is an immediate
    // stop: what was committed a moment ago is written out first, as a durable server would have.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("CHECKPOINT");
    await admin.end();

    await postgres.pause();
    let answer: Answer;
    try {
      const ready = await readyz(node.url);
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(1000);
      expect(ready.body.checks.storage.status).toMatch(/slow|down/);
      const timedAnswer = await timed(publish(node.url, token, "During the restart", "restart-key-1"));
      answer = timedAnswer.value;
      expect(timedAnswer.ms).toBeLessThan(5000);
    } finally {
      await postgres.resume();
    }
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    expect(errorOf(answer).code).toBe("storage_unavailable");
    expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);

    const item = await publishUntilAnswered(node.url, token, "During the restart", "restart-key-1");
    const again = await publish(node.url, token, "During the restart", "restart-key-1");
    expect(itemSchema.parse(again.body).id).toBe(item.id);
    expect(await itemsWithHeadline(node.url, "During the restart")).toHaveLength(1);
    await expect.poll(async () => (await readyz(node.url)).status, { timeout: 15_000 }).toBe(200);
  });

  it("SIGTERM while PostgreSQL hangs, publishes in flight: the node still exits 0 within 10 s", async () => {
    const { node, token } = await startDesk();
    expect((await publish(node.url, token, "Before the freeze")).status).toBe(201);
    postgres.freeze();
    try {
      const inFlight = Array.from({ length: 10 }, (_, i) =>
        publish(node.url, token, `In flight ${i}`).catch(() => null),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      node.child.kill("SIGTERM");
      expect(await node.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      await Promise.all(inFlight);
    } finally {
      postgres.thaw();
    }
  });

  it("a node frozen in the middle of publishing does not stop another node from publishing", async () => {
    const { url, node: frozen, token } = await startDesk();
    const other = await startNode(url);
    const acknowledged: number[] = [];
    const record = (answer: Answer) => {
      if (answer.status === 201) acknowledged.push(itemSchema.parse(answer.body).seq);
      return answer;
    };

    for (let round = 0; round < ROUNDS; round += 1) {
      // The frozen node is publishing as fast as it can when it stops: some commit is always under way.
      let publishing = true;
      const writers = Array.from({ length: 12 }, async (_, w) => {
        for (let i = 0; publishing; i += 1) {
          record(await publish(frozen.url, token, `Round ${round} writer ${w} item ${i}`));
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 150 + 50 * round));
      frozen.child.kill("SIGSTOP");
      try {
        for (let i = 0; i < 5; i += 1) {
          const { value: answer, ms } = await timed(publish(other.url, token, `Round ${round} other ${i}`));
          expect(answer.status, JSON.stringify(answer.body)).toBe(201);
          expect(ms).toBeLessThan(3000);
          record(answer);
        }
      } finally {
        publishing = false;
        frozen.child.kill("SIGCONT");
      }
      await Promise.all(writers);
    }

    // Nothing acknowledged is missing, and the change log has no gap.
    const storage = await PgStorage.open(url);
    try {
      const log = await storage.changesSince(0, 100_000);
      const seqs = log.map((change) => change.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      const stored = new Set(seqs);
      expect(acknowledged.filter((seq) => !stored.has(seq))).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
