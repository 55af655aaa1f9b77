import readline from "node:readline";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type PanelPresence, panelPresenceSchema } from "../../shared/events";
import { sessionSchema } from "../../shared/requests";
import { setUpDesk } from "../helpers/admin";
import { freePort } from "../helpers/desk";
import { call } from "../helpers/http";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { type ServerProcess, spawnServer } from "../helpers/process";
import { type RedisServer, startRedis } from "../helpers/redis";

/**
 * The Socket.IO Redis adapter (the operators' room, closing an ended session's sockets on every
 * node) under Redis faults: no node crashes or stalls, and the adapter works again once Redis does.
 * `npm run test:faults` injects each fault more times and for longer; CI once, briefly.
 */
const ROUNDS = Number(process.env.FAULT_ROUNDS ?? 1);
/** Longer than the Redis command deadline (1 s), so that commands time out meanwhile. */
const OUTAGE_MS = Math.max(3000, Number(process.env.FAULT_OUTAGE_MS ?? 3000));
const TEST_TIMEOUT_MS = ROUNDS * (3 * OUTAGE_MS + 90_000);
const ADMIN_PASSWORD = "adapter-faults-admin-password";
/** desk-one watches the panel, desk-two makes traffic, desk-three comes and goes across nodes. */
const OPERATORS = {
  "desk-one": "desk-one-password",
  "desk-two": "desk-two-password",
  "desk-three": "desk-three-password",
} as const;
type Operator = keyof typeof OPERATORS;

let postgres: PostgresServer;
let redis: RedisServer;
const nodes: ServerProcess[] = [];
let token = "";
/** Sessions kept for the whole file: logging in costs a deliberately slow password hash. */
let watcherSession: Session;
let trafficSession: Session;
const sockets: Socket[] = [];
const logLineSchema = z.looseObject({ msg: z.string(), connection: z.string().optional() });
type LogLine = z.infer<typeof logLineSchema>;
/** Each node's log lines, as a log collector would read them. */
const logs = new Map<ServerProcess, LogLine[]>();

function logOf(n: ServerProcess): LogLine[] {
  return logs.get(n) ?? [];
}

/**
 * What the nodes logged about Redis during an outage: each of their connections says once that
 * Redis fails, however long it lasts, and nothing else is said again and again.
 */
function expectLoggedOncePerOutage(lines: LogLine[]): void {
  const failing = lines.filter((line) => line.msg.startsWith("Redis fails"));
  expect(failing.length).toBeGreaterThan(0);
  const connections = failing.map((line) => line.connection);
  expect(connections, "Redis failures logged more than once for one connection").toEqual([
    ...new Set(connections),
  ]);
  expect(lines.filter((line) => line.msg === "could not count readers")).toEqual([]);
}

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const env = {
    DATABASE_URL: await postgres.createDatabase(),
    REDIS_URL: redis.url,
    LIVEDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
  };
  const ports = await Promise.all([freePort(), freePort()]);
  nodes.push(...(await Promise.all(ports.map((port) => spawnServer({ ...env, PORT: String(port) })))));
  for (const n of nodes) {
    const lines: LogLine[] = [];
    logs.set(n, lines);
    readline.createInterface({ input: n.child.stdout ?? process.stdin }).on("line", (line) => {
      const parsed = logLineSchema.safeParse(line.startsWith("{") ? JSON.parse(line) : null);
      if (parsed.success) lines.push(parsed.data);
    });
  }
  const desk = await setUpDesk(node(0).url, ADMIN_PASSWORD);
  token = desk.editorToken;
  for (const [username, password] of Object.entries(OPERATORS)) {
    const created = await call(node(0).url, "POST", "/api/operators", {
      headers: desk.headers,
      body: { username, password, role: "editor" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  [watcherSession, trafficSession] = await Promise.all([
    login(node(0).url, "desk-one"),
    login(node(0).url, "desk-two"),
  ]);
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  for (const n of nodes) n.child.kill("SIGKILL");
  await redis?.stop();
  await postgres?.stop();
});

function node(i: number): ServerProcess {
  const found = nodes[i];
  if (found === undefined) throw new Error(`no node ${i}`);
  return found;
}

interface Session {
  username: Operator;
  headers: { cookie: string; "x-csrf-token": string };
}

async function login(url: string, username: Operator): Promise<Session> {
  const answer = await fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: OPERATORS[username] }),
  });
  expect(answer.status).toBe(200);
  const cookie = (answer.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return {
    username,
    headers: { cookie, "x-csrf-token": sessionSchema.parse(await answer.json()).csrfToken },
  };
}

async function logout(url: string, session: Session): Promise<void> {
  const answer = await call(url, "DELETE", "/api/session", { headers: session.headers });
  expect(answer.status).toBe(204);
}

/** The admin panel's live connection, as an operator's browser opens it: closed when it closes. */
interface Panel {
  socket: Socket;
  presence: PanelPresence[];
  closed: Promise<void>;
  isClosed: () => boolean;
}

function openPanel(url: string, session: Session): Promise<Panel> {
  const socket = io(url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { cookie: session.headers.cookie },
  });
  sockets.push(socket);
  const presence: PanelPresence[] = [];
  socket.on("panel:presence", (payload: unknown) => presence.push(panelPresenceSchema.parse(payload)));
  let isClosed = false;
  const closed = new Promise<void>((resolve) =>
    socket.once("disconnect", () => {
      isClosed = true;
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve({ socket, presence, closed, isClosed: () => isClosed }));
    socket.once("connect_error", reject);
  });
}

/** Every node's process is alive and answers `/healthz`. */
async function expectAllServing(): Promise<void> {
  for (const n of nodes) {
    expect(n.child.exitCode, "the node's process ended").toBeNull();
    // Generous for a loaded machine: what matters is that it answers while Redis does not.
    const health = await fetch(`${n.url}/healthz`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);
  }
}

async function expectNoUnhandledRejections(): Promise<void> {
  for (const n of nodes) {
    const metrics = await (await fetch(`${n.url}/metrics`)).text();
    expect(metrics).toMatch(/^livedesk_unhandled_rejections_total 0$/m);
  }
}

/** Traffic on the adapter's connections while Redis fails: panels come and go, say what they edit. */
async function panelTraffic(): Promise<void> {
  for (const i of [0, 1]) {
    const panel = await openPanel(node(i).url, trafficSession);
    panel.socket.emit("panel:editing", { itemId: `item-${i}` });
    panel.socket.close();
  }
}

/**
 * The adapter carries again what spans nodes: `desk-one`'s panel on node 0 sees `desk-three` open
 * a panel on node 1, and logging `desk-three` out through node 0 closes that panel on node 1. Retried
 * until it works (Redis just came back: connections and subscriptions are being restored).
 */
async function expectAdapterWorks(): Promise<void> {
  const watcher = await openPanel(node(0).url, watcherSession);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const session = await login(node(1).url, "desk-three");
    const panel = await openPanel(node(1).url, session);
    const seen = await expect
      .poll(() => watcher.presence.at(-1)?.operators.map((o) => o.username), { timeout: 2000 })
      .toContain("desk-three")
      .then(
        () => true,
        () => false,
      );
    await logout(node(0).url, session);
    const closedElsewhere = await Promise.race([
      panel.closed.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000)),
    ]);
    panel.socket.close();
    if (seen && closedElsewhere) break;
    if (Date.now() > deadline)
      throw new Error(
        `the adapter did not work again: presence ${seen}, closed on the other node ${closedElsewhere}`,
      );
  }
  watcher.socket.close();
}

describe(`the Socket.IO Redis adapter under Redis faults (${ROUNDS} round(s) each)`, () => {
  it(
    "SIGSTOP longer than the command deadline, CLIENT KILL of every client, a restart: every node serves on, and the adapter works again",
    async () => {
      await expectAdapterWorks();
      for (let round = 0; round < ROUNDS; round += 1) {
        // Frozen: commands on every connection time out meanwhile.
        const frozenPanel = await openPanel(node(1).url, trafficSession);
        const leaving = await login(node(0).url, "desk-one");
        const logged = nodes.map((n) => logOf(n).length);
        redis.pause();
        try {
          const frozenAt = Date.now();
          await panelTraffic();
          // Logging out closes the session's panel on the same node at once, without Redis.
          const panel = await openPanel(node(0).url, leaving);
          await logout(node(0).url, leaving);
          await expect.poll(panel.isClosed, { timeout: 2000 }).toBe(true);
          for (const i of [0, 1]) {
            const answer = await call(node(i).url, "POST", "/api/items", {
              token,
              body: { headline: `Published while Redis is frozen, on node ${i}`, topics: ["world"] },
            });
            expect(answer.status).toBe(201);
          }
          await expectAllServing();
          await new Promise((resolve) =>
            setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - frozenAt))),
          );
          await expectAllServing();
          nodes.forEach((n, i) => {
            expectLoggedOncePerOutage(logOf(n).slice(logged[i]));
          });
        } finally {
          redis.resume();
        }
        frozenPanel.socket.close();
        await expectAdapterWorks();

        // Every client dropped at once, as a failover or a proxy restart would.
        redis.cli("CLIENT", "KILL", "TYPE", "normal");
        redis.cli("CLIENT", "KILL", "TYPE", "pubsub");
        await panelTraffic();
        await expectAllServing();
        await expectAdapterWorks();

        // Restarted empty, after a while down.
        await redis.stop();
        const downAt = Date.now();
        await panelTraffic();
        await expectAllServing();
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
        await redis.start();
        await expectAllServing();
        await expectAdapterWorks();
      }
      await expectAllServing();
      await expectNoUnhandledRejections();
    },
    TEST_TIMEOUT_MS,
  );
});
