import { spawn } from "node:child_process";
import readline from "node:readline";
import pg from "pg";
import { expect } from "vitest";
import { z } from "zod";
import { itemSchema } from "../../shared/item";
import { apiErrorSchema } from "../../shared/requests";
import { setUpDesk } from "./admin";
import { freePort } from "./desk";
import { call } from "./http";
import { startNginx } from "./nginx";
import { type PostgresServer, startPostgres } from "./postgres";
import { type ServerProcess, spawnServer } from "./process";
import { Reader } from "./reader";
import { type RedisServer, startRedis } from "./redis";

/**
 * The several-node setup the fault tests inject faults into: three nodes on one PostgreSQL
 * database and one Redis, behind nginx, with an editor token for the newsroom tool.
 */
export interface Cluster {
  postgres: PostgresServer;
  redis: RedisServer;
  databaseUrl: string;
  nginx: { url: string; stop: () => Promise<void> };
  nodes: ServerProcess[];
  token: string;
  node(i: number): ServerProcess;
  /** Sends SIGCONT first (a test may have stopped a node), then kills everything. */
  stop(): Promise<void>;
}

export async function startCluster(password: string): Promise<Cluster> {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const databaseUrl = await postgres.createDatabase();
  // The test server runs without synchronous commit; an operator's PostgreSQL has it, and a restart
  // must not take back what was acknowledged. (fsync stays off: the OS keeps what was written.)
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`ALTER DATABASE ${admin.database} SET synchronous_commit = on`);
  await admin.end();
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, LIVEDESK_ADMIN_PASSWORD: password };
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const nodes = await Promise.all(ports.map((port) => spawnServer({ ...env, PORT: String(port) })));
  const nginx = await startNginx(ports);
  const node = (i: number): ServerProcess => {
    const found = nodes[i];
    if (found === undefined) throw new Error(`no node ${i}`);
    return found;
  };
  const token = (await setUpDesk(node(0).url, password)).editorToken;
  return {
    postgres,
    redis,
    databaseUrl,
    nginx,
    nodes,
    token,
    node,
    async stop() {
      // The nodes first: nginx stops gracefully, after the connections it proxies (a reader a
      // failed test left open) are gone.
      for (const n of nodes) {
        n.child.kill("SIGCONT");
        n.child.kill("SIGKILL");
      }
      await nginx.stop();
      await redis.stop();
      await postgres.stop();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** About 50 publishes a second. */
const PUBLISH_EVERY_MS = 20;

export interface PublisherOptions {
  token: string;
  /** The node the `attempt`th try of the `i`th item goes to. */
  target: (i: number, attempt: number) => string;
  /**
   * A newsroom tool that retries: every item carries an `Idempotency-Key` (`${keyPrefix}-${i}`) and
   * is sent again (to the next target) after the 503's Retry-After, or at once with no answer
   * within `attemptMs`. Such a tool does
   * not wait for one item before sending the next: a new one starts every 20 ms whatever is still
   * being retried, so an outage piles publishes up as it would in a newsroom. Without `retry`, each
   * publish waits for the one before and must be answered 201 at once.
   */
  retry?: { keyPrefix: string; attemptMs: number };
}

/** A newsroom tool publishing about 50 items a second until stopped. */
export function startPublisher(options: PublisherOptions) {
  const acknowledged: number[] = [];
  /** Keys whose item needed more than one try. */
  const retried: string[] = [];
  let lastAt = Date.now();
  let running = true;

  const publishOne = async (i: number): Promise<number> => {
    const headline = `Fault item ${options.retry?.keyPrefix ?? "plain"} ${i}`;
    const body = { headline, topics: ["world"] };
    const { retry } = options;
    if (retry === undefined) {
      const answer = await call(options.target(i, 0), "POST", "/api/items", { token: options.token, body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return itemSchema.parse(answer.body).seq;
    }
    const key = `${retry.keyPrefix}-${i}`;
    const deadline = Date.now() + 60_000;
    for (let attempt = 0; ; attempt += 1) {
      if (attempt === 1) retried.push(key);
      const answer = await call(options.target(i, attempt), "POST", "/api/items", {
        token: options.token,
        body,
        headers: { "idempotency-key": key },
        signal: AbortSignal.timeout(retry.attemptMs),
      }).catch(() => undefined);
      if (answer?.status === 201) return itemSchema.parse(answer.body).seq;
      if (answer !== undefined) expect(answer.status, JSON.stringify(answer.body)).toBe(503);
      if (Date.now() > deadline) throw new Error(`${key} still not published after 60 s`);
      // As the answer asks (Retry-After, in seconds); no answer at all is tried again soon.
      await sleep(answer === undefined ? 100 : Number(answer.headers.get("retry-after") ?? 1) * 1000);
    }
  };

  const acknowledge = (seq: number) => {
    acknowledged.push(seq);
    lastAt = Date.now();
  };
  const done = (async () => {
    const inFlight: Promise<void>[] = [];
    // The first publish that failed the test, reported once every publish in flight has ended.
    let failed: { error: unknown } | undefined;
    for (let i = 0; running; i += 1) {
      const started = Date.now();
      const publishing = publishOne(i).then(acknowledge);
      if (options.retry === undefined) await publishing;
      else
        inFlight.push(
          publishing.catch((error: unknown) => {
            failed ??= { error };
          }),
        );
      await sleep(Math.max(0, PUBLISH_EVERY_MS - (Date.now() - started)));
    }
    await Promise.all(inFlight);
    if (failed !== undefined) throw failed.error;
  })();
  return {
    acknowledged,
    retried,
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
export async function crowd(
  cluster: Cluster,
): Promise<{ readers: Reader[]; byNode: Reader[][]; start: number }> {
  const byNode = cluster.nodes.map((n) => [new Reader(n.url), new Reader(n.url)]);
  const readers = [...byNode.flat(), new Reader(cluster.nginx.url)];
  await Promise.all(readers.map((r) => r.waitForSyncs(1)));
  const start = Math.max(...readers.map((r) => r.seq));
  await Promise.all(readers.map((r) => r.waitForSeq(start)));
  return { readers, byNode, start };
}

/**
 * Every reader ends at `last`, having applied every change after `start` live, once and in seq
 * order (a reader that had to resync would miss some here), by `deadline`.
 */
export async function expectComplete(readers: Reader[], start: number, last: number, deadline: number) {
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

export function close(readers: Reader[]): void {
  for (const r of readers) r.close();
}

/**
 * What the load balancer's asker runs, in a process of its own: the test's own process blocks at
 * times (pg_ctl is run synchronously), which must not count against the nodes.
 */
const READYZ_ASKER = `
const urls = process.argv.slice(1);
let running = true;
process.stdin.on("end", () => { running = false; });
process.stdin.resume();
const ask = async (url) => {
  while (running) {
    const started = Date.now();
    let answer = { url, status: 0, body: "no answer" };
    try {
      const response = await fetch(url + "/readyz", { signal: AbortSignal.timeout(5000) });
      answer = { url, status: response.status, body: await response.text() };
    } catch {}
    process.stdout.write(JSON.stringify({ ...answer, ms: Date.now() - started }) + "\\n");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
Promise.all(urls.map(ask));
`;
const askedSchema = z.object({ url: z.string(), status: z.number(), body: z.string(), ms: z.number() });

/**
 * Asks every node in `urls` for /readyz every 200 ms, as a load balancer would, until stopped;
 * `stop()` resolves with every ask that took longer than 1 s or got no answer. `answers` holds each
 * status seen, with the error code a 503 named (`503 storage_unavailable`).
 */
export function watchReadyz(urls: readonly string[]) {
  const late: string[] = [];
  const answers = new Set<string>();
  const asker = spawn(process.execPath, ["-e", READYZ_ASKER, ...urls], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => asker.once("exit", resolve));
  readline.createInterface({ input: asker.stdout }).on("line", (line) => {
    const asked = askedSchema.parse(JSON.parse(line));
    // The node's own account of its checks tells a slow node from a slow network or asker.
    if (asked.status === 0 || asked.ms > 1000) late.push(`${asked.url} in ${asked.ms} ms: ${asked.body}`);
    if (asked.status === 0) return;
    let body: unknown = null;
    try {
      body = JSON.parse(asked.body);
    } catch {}
    const named = apiErrorSchema.safeParse(body);
    answers.add(named.success ? `${asked.status} ${named.data.error.code}` : String(asked.status));
  });
  return {
    answers,
    async stop(): Promise<string[]> {
      asker.stdin.end();
      await exited;
      return late;
    },
  };
}
