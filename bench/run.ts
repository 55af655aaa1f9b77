/**
 * `npm run bench`: livedesk against a bare Socket.IO and a bare `ws` broadcast server, in one run,
 * with the same light clients (bench/clients.ts, separate processes) and the same open-loop
 * publisher. Each latency runs from an item's intended send time, so a stalled publisher cannot
 * hide delay (no coordinated omission).
 *
 *   npm run bench -- --readers 1000,2000 --rates 1,10 --seconds 10
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { z } from "zod";
import { freePort } from "../tests/helpers/desk";
import { spawnServer } from "../tests/helpers/process";
import { tempDir } from "../tests/helpers/server";

const ROOT = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : (args[at + 1] ?? fallback);
};
const READERS = option("readers", "1000").split(",").map(Number);
const RATES = option("rates", "1,10").split(",").map(Number);
const SECONDS = Number(option("seconds", "10"));
const CLIENT_PROCESSES = Number(option("client-processes", "2"));
const now = () => performance.timeOrigin + performance.now();

interface Target {
  name: string;
  url: string;
  pid: number;
  publish: (index: number, intendedAt: number) => Promise<void>;
  stop: () => Promise<void>;
}

/** CPU milliseconds a process has used (user + system), from /proc. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) * 1024;
}

const SUMMARY = "x".repeat(400);

async function startLivedesk(): Promise<Target> {
  const dir = tempDir();
  const server = await spawnServer({
    PORT: String(await freePort()),
    DATABASE_URL: `sqlite:${path.join(dir, "bench.db")}`,
    LIVEDESK_ADMIN_PASSWORD: "bench-admin-password",
    LOG_LEVEL: "info",
  });
  const login = await fetch(`${server.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "bench-admin-password" }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await login.json());
  const headers = { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" };
  await fetch(`${server.url}/api/topics`, {
    method: "POST",
    headers,
    body: JSON.stringify({ slug: "bench", name: "Bench" }),
  });
  const created = await fetch(`${server.url}/api/tokens`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "bench", role: "editor" }),
  });
  const { token } = z.object({ token: z.string() }).parse(await created.json());
  return {
    name: "livedesk",
    url: server.url,
    pid: server.child.pid ?? 0,
    publish: async (index, intendedAt) => {
      const response = await fetch(`${server.url}/api/items`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          headline: `bench ${index} ${intendedAt.toFixed(3)}`,
          summary: SUMMARY,
          topics: ["bench"],
        }),
      });
      if (response.status !== 201) throw new Error(`publish answered ${response.status}`);
    },
    stop: async () => {
      server.child.kill("SIGTERM");
      await server.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startBare(kind: "socketio" | "ws"): Promise<Target> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/targets.ts", kind], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = readline.createInterface({ input: child.stdout ?? process.stdin });
  const port = await new Promise<number>((resolve) =>
    lines.once("line", (line) => resolve(z.object({ port: z.number() }).parse(JSON.parse(line)).port)),
  );
  const url = `http://127.0.0.1:${port}`;
  let seq = 0;
  return {
    name: kind === "ws" ? "bare ws" : "bare Socket.IO",
    url,
    pid: child.pid ?? 0,
    publish: async (index, intendedAt) => {
      seq += 1;
      const headline = `bench ${index} ${intendedAt.toFixed(3)}`;
      // The same shape and about the same size as a livedesk change.
      const change = {
        seq,
        kind: "created",
        item: {
          id: `bench-${index}`,
          seq,
          version: 1,
          headline,
          summary: SUMMARY,
          url: null,
          topics: ["bench"],
          breaking: false,
          pinned: false,
          status: "published",
          correction: null,
          retractionReason: null,
          source: null,
          publishedAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
          author: "bench",
        },
      };
      await fetch(`${url}/publish`, { method: "POST", body: JSON.stringify(change) });
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function ask(child: ChildProcess, message: object, event: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const listener = (reply: unknown) => {
      if (typeof reply === "object" && reply !== null && Reflect.get(reply, "event") === event) {
        child.off("message", listener);
        resolve(Object.fromEntries(Object.entries(reply)));
      }
    };
    child.on("message", listener);
    child.send(message);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Row {
  target: string;
  readers: number;
  rate: number;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  cpuPer1000: number;
  memoryPerReader: number;
}

async function measure(target: Target, readers: number): Promise<Row[]> {
  const rssBefore = rssBytes(target.pid);
  const clients = Array.from({ length: CLIENT_PROCESSES }, () =>
    fork(path.join(ROOT, "bench", "clients.ts"), [], { execArgv: ["--import", "tsx"], cwd: ROOT }),
  );
  const protocol = target.name === "livedesk" ? "livedesk" : target.name === "bare ws" ? "ws" : "socketio";
  await Promise.all(
    clients.map((child, i) =>
      ask(
        child,
        {
          command: "connect",
          url: target.url,
          protocol,
          count: Math.floor(readers / CLIENT_PROCESSES) + (i < readers % CLIENT_PROCESSES ? 1 : 0),
        },
        "connected",
      ),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const memoryPerReader = (rssBytes(target.pid) - rssBefore) / readers;
  const rows: Row[] = [];
  let index = 0;
  for (const rate of RATES) {
    const count = Math.max(1, Math.round(rate * SECONDS));
    const cpuBefore = cpuMs(target.pid);
    const start = now() + 100;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < count; i += 1) {
      const intendedAt = start + (i * 1000) / rate;
      const wait = intendedAt - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sends.push(target.publish(index, intendedAt).catch(() => {}));
      index += 1;
    }
    await Promise.all(sends);
    // Give the last items time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const cpu = cpuMs(target.pid) - cpuBefore;
    const reports = await Promise.all(clients.map((child) => ask(child, { command: "report" }, "report")));
    const latencies = reports.flatMap((r) => z.array(z.number()).parse(r.latencies)).sort((a, b) => a - b);
    const delivered = reports.reduce((sum, r) => sum + Number(r.received), 0);
    rows.push({
      target: target.name,
      readers,
      rate,
      delivered,
      expected: readers * count,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
      cpuPer1000: delivered === 0 ? Number.NaN : (cpu / delivered) * 1000,
      memoryPerReader,
    });
  }
  await Promise.all(clients.map((child) => ask(child, { command: "close" }, "closed")));
  for (const child of clients) child.kill();
  return rows;
}

async function throughput(): Promise<{ publishes: number; reads: number }> {
  const target = await startLivedesk();
  const clients = [
    fork(path.join(ROOT, "bench", "clients.ts"), [], { execArgv: ["--import", "tsx"], cwd: ROOT }),
  ];
  await Promise.all(
    clients.map((child) =>
      ask(child, { command: "connect", url: target.url, protocol: "livedesk", count: 100 }, "connected"),
    ),
  );
  const run = async (work: () => Promise<unknown>) => {
    let done = 0;
    const until = now() + 5000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (now() < until) {
          await work();
          done += 1;
        }
      }),
    );
    return done / 5;
  };
  let i = 0;
  const publishes = await run(() => target.publish(i++, now()));
  const reads = await run(() => fetch(`${target.url}/api/items?limit=50`).then((r) => r.arrayBuffer()));
  for (const child of clients) child.kill();
  await target.stop();
  return { publishes, reads };
}

const format = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "—");

async function main(): Promise<void> {
  process.stdout.write(
    `livedesk bench on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}; ${SECONDS} s per rate\n\n`,
  );
  const rows: Row[] = [];
  for (const start of [startLivedesk, () => startBare("socketio"), () => startBare("ws")]) {
    const target = await start();
    try {
      for (const readers of READERS) rows.push(...(await measure(target, readers)));
    } finally {
      await target.stop();
    }
  }
  process.stdout.write(
    "| target | readers | items/s | delivered/expected | p50 ms | p99 ms | max ms | CPU ms per 1,000 deliveries | memory per reader |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
  );
  for (const row of rows) {
    process.stdout.write(
      `| ${row.target} | ${row.readers} | ${row.rate} | ${row.delivered}/${row.expected} | ${format(row.p50)} | ${format(row.p99)} | ${format(row.max)} | ${format(row.cpuPer1000, 2)} | ${format(row.memoryPerReader / 1024)} KB |\n`,
    );
  }
  process.stdout.write("\nlivedesk / bare Socket.IO:\n");
  for (const row of rows.filter((r) => r.target === "livedesk")) {
    const bare = rows.find(
      (r) => r.target === "bare Socket.IO" && r.readers === row.readers && r.rate === row.rate,
    );
    if (bare === undefined) continue;
    process.stdout.write(
      `  ${row.readers} readers at ${row.rate}/s: p99 ×${format(row.p99 / bare.p99, 2)}, CPU per delivery ×${format(row.cpuPer1000 / bare.cpuPer1000, 2)}, memory per reader ×${format(row.memoryPerReader / bare.memoryPerReader, 2)}\n`,
    );
  }
  const { publishes, reads } = await throughput();
  process.stdout.write(
    `\nPublishes acknowledged into SQLite with 100 readers connected (16 at a time): ${format(publishes, 0)}/s\n`,
  );
  process.stdout.write(`GET /api/items?limit=50 (16 at a time): ${format(reads, 0)} requests/s\n`);
}

await main();
