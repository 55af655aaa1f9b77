/**
 * `npm run bench`: livedesk against a bare Socket.IO and a bare `ws` broadcast server, in one run,
 * with the same light clients (bench/clients.ts, separate processes) and the same open-loop
 * publisher. Each latency runs from an item's intended send time, so a stalled publisher cannot
 * hide delay (no coordinated omission). Memory is read through each server's inspector after
 * garbage collection (bench/inspect.ts).
 *
 *   npm run bench -- --readers 1000,2000,5000 --rates 1,10 --seconds 10 --storm 2000
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { z } from "zod";
import { Desk, freePort } from "../tests/helpers/desk";
import { Inspector, type Memory } from "./inspect";

const ROOT = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : (args[at + 1] ?? fallback);
};
const READERS = option("readers", "1000,2000,5000").split(",").map(Number);
const RATES = option("rates", "1,10").split(",").map(Number);
const SECONDS = Number(option("seconds", "10"));
const STORM = Number(option("storm", "2000"));
const CLIENT_PROCESSES = Number(option("client-processes", "2"));
const PUBLISHERS = Number(option("publishers", "128"));
const now = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Protocol = "livedesk" | "socketio" | "ws";

interface Target {
  name: string;
  protocol: Protocol;
  url: string;
  pid: number;
  inspector: Inspector;
  publish: (index: number, intendedAt: number) => Promise<void>;
  stop: () => Promise<void>;
}

/** CPU milliseconds a process has used (user + system), from /proc. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

const SUMMARY = "x".repeat(400);
const headline = (index: number, intendedAt: number) => `bench ${index} ${intendedAt.toFixed(3)}`;

async function startLivedesk(): Promise<Target> {
  const inspectPort = await freePort();
  const desk = await Desk.start({ nodeArgs: [`--inspect=127.0.0.1:${inspectPort}`] });
  const headers = { authorization: `Bearer ${desk.editorToken}`, "content-type": "application/json" };
  const inspector = await Inspector.connect(inspectPort);
  return {
    name: "livedesk",
    protocol: "livedesk",
    url: desk.url,
    pid: desk.pid ?? 0,
    inspector,
    publish: async (index, intendedAt) => {
      const response = await fetch(`${desk.url}/api/items`, {
        method: "POST",
        headers,
        body: JSON.stringify({ headline: headline(index, intendedAt), summary: SUMMARY, topics: ["world"] }),
      });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`publish answered ${response.status}`);
    },
    // A node with a debugger attached waits for it to leave before it exits.
    stop: async () => {
      inspector.close();
      await desk.stop();
    },
  };
}

async function startBare(protocol: "socketio" | "ws"): Promise<Target> {
  const inspectPort = await freePort();
  const child = spawn(
    process.execPath,
    [`--inspect=127.0.0.1:${inspectPort}`, "--import", "tsx", "bench/targets.ts", protocol],
    { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] },
  );
  const lines = readline.createInterface({ input: child.stdout ?? process.stdin });
  const port = await new Promise<number>((resolve) =>
    lines.once("line", (line) => resolve(z.object({ port: z.number() }).parse(JSON.parse(line)).port)),
  );
  const url = `http://127.0.0.1:${port}`;
  let seq = 0;
  const inspector = await Inspector.connect(inspectPort);
  return {
    name: protocol === "ws" ? "bare ws" : "bare Socket.IO",
    protocol,
    url,
    pid: child.pid ?? 0,
    inspector,
    publish: async (index, intendedAt) => {
      seq += 1;
      const at = new Date().toISOString();
      // The same shape and about the same size as a livedesk change.
      const change = {
        seq,
        kind: "created",
        item: {
          id: `01JBENCH${String(index).padStart(18, "0")}`,
          seq,
          version: 1,
          headline: headline(index, intendedAt),
          summary: SUMMARY,
          url: null,
          topics: ["world"],
          breaking: false,
          pinned: false,
          status: "published",
          correction: null,
          retractionReason: null,
          source: null,
          publishedAt: at,
          updatedAt: at,
          author: "bench",
        },
      };
      const response = await fetch(`${url}/publish`, { method: "POST", body: JSON.stringify(change) });
      await response.arrayBuffer();
    },
    stop: async () => {
      inspector.close();
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

/** Reader processes connected to one target. */
class Crowd {
  private constructor(
    private readonly target: Target,
    private readonly children: ChildProcess[],
  ) {}

  static async connect(target: Target, readers: number, processes = CLIENT_PROCESSES): Promise<Crowd> {
    const children = Array.from({ length: processes }, () =>
      fork(path.join(ROOT, "bench", "clients.ts"), [], { execArgv: ["--import", "tsx"], cwd: ROOT }),
    );
    const crowd = new Crowd(target, children);
    await crowd.all(
      (i) => ({
        command: "connect",
        count: Math.floor(readers / processes) + (i < readers % processes ? 1 : 0),
      }),
      "connected",
    );
    return crowd;
  }

  private all(message: (i: number) => object, event: string) {
    const { url, protocol } = this.target;
    return Promise.all(this.children.map((child, i) => ask(child, { url, protocol, ...message(i) }, event)));
  }

  async report(): Promise<{ delivered: number; latencies: number[] }> {
    const reports = await this.all(() => ({ command: "report" }), "report");
    return {
      delivered: reports.reduce((sum, r) => sum + Number(r.received), 0),
      latencies: reports.flatMap((r) => z.array(z.number()).parse(r.latencies)).sort((a, b) => a - b),
    };
  }

  async reconnect(): Promise<number[]> {
    const replies = await this.all(() => ({ command: "reconnect" }), "reconnected");
    return replies.flatMap((r) => z.array(z.number()).parse(r.times)).sort((a, b) => a - b);
  }

  async close(): Promise<void> {
    await this.all(() => ({ command: "close" }), "closed");
    for (const child of this.children) child.kill();
  }
}

interface StreamRow {
  target: string;
  readers: number;
  load: string;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  cpuPer1000: number;
}

interface MemoryRow {
  target: string;
  readers: number;
  heapPerReader: number;
  rssPerReader: number;
}

let published = 0;

/** Publishes `count` items open loop at `rate` a second and reports what the readers received. */
async function stream(
  target: Target,
  crowd: Crowd,
  readers: number,
  rate: number,
  count: number,
  load: string,
) {
  const cpuBefore = cpuMs(target.pid);
  const start = now() + 100;
  const sends: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const intendedAt = start + (i * 1000) / rate;
    const wait = intendedAt - now();
    if (wait > 0) await pause(wait);
    sends.push(target.publish(published++, intendedAt).catch(() => {}));
  }
  await Promise.all(sends);
  // The readers may still be catching up: wait (a bounded time) for the last deliveries.
  let report = await crowd.report();
  let delivered = report.delivered;
  const latencies = report.latencies;
  for (const until = now() + 5000; delivered < readers * count && now() < until; ) {
    await pause(200);
    report = await crowd.report();
    delivered += report.delivered;
    latencies.push(...report.latencies);
  }
  latencies.sort((a, b) => a - b);
  const cpu = cpuMs(target.pid) - cpuBefore;
  return {
    target: target.name,
    readers,
    load,
    delivered,
    expected: readers * count,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    cpuPer1000: delivered === 0 ? Number.NaN : (cpu / delivered) * 1000,
  } satisfies StreamRow;
}

const perReader = (before: Memory, after: Memory, readers: number) => ({
  heapPerReader: (after.heapUsed + after.external - before.heapUsed - before.external) / readers,
  rssPerReader: (after.rss - before.rss) / readers,
});

interface StormRow {
  target: string;
  readers: number;
  resumed: number;
  p50: number;
  p99: number;
  max: number;
  cpuMs: number;
}

/** All readers dropped and back at once; on livedesk each resumes with `timeline:sync` from its seq. */
async function storm(target: Target): Promise<StormRow> {
  const crowd = await Crowd.connect(target, STORM);
  await stream(target, crowd, STORM, 10, 10, "warm-up");
  const cpuBefore = cpuMs(target.pid);
  const times = await crowd.reconnect();
  const cpu = cpuMs(target.pid) - cpuBefore;
  await crowd.close();
  return {
    target: target.name,
    readers: STORM,
    resumed: times.length,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times.at(-1) ?? Number.NaN,
    cpuMs: cpu,
  };
}

async function runTarget(target: Target) {
  const streams: StreamRow[] = [];
  const memory: MemoryRow[] = [];
  for (const readers of READERS) {
    const before = await target.inspector.memory();
    const crowd = await Crowd.connect(target, readers);
    await pause(1000);
    memory.push({
      target: target.name,
      readers,
      ...perReader(before, await target.inspector.memory(), readers),
    });
    for (const rate of RATES) {
      streams.push(
        await stream(target, crowd, readers, rate, Math.max(1, Math.round(rate * SECONDS)), `${rate}/s`),
      );
    }
    streams.push(await stream(target, crowd, readers, 100, 100, "burst: 100 in 1 s"));
    await crowd.close();
    // Let the server notice the readers are gone before the next count connects.
    await pause(1000);
  }
  return { streams, memory, storm: await storm(target) };
}

/** As many publishes as `PUBLISHERS` concurrent newsroom tools get acknowledged, with 100 readers connected. */
async function throughput(): Promise<{ publishes: number; cpuPerPublish: number; reads: number }> {
  const target = await startLivedesk();
  const crowd = await Crowd.connect(target, 100, 1);
  const run = async (concurrency: number, work: () => Promise<unknown>) => {
    let done = 0;
    const until = now() + 5000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (now() < until) {
          await work();
          done += 1;
        }
      }),
    );
    return done;
  };
  let i = 0;
  const cpuBefore = cpuMs(target.pid);
  const published = await run(PUBLISHERS, () => target.publish(i++, now()));
  const cpu = cpuMs(target.pid) - cpuBefore;
  const reads = await run(64, () => fetch(`${target.url}/api/items?limit=50`).then((r) => r.arrayBuffer()));
  await crowd.close();
  await target.stop();
  return { publishes: published / 5, cpuPerPublish: cpu / published, reads: reads / 5 };
}

const format = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "—");
const write = (line = "") => process.stdout.write(`${line}\n`);
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");

async function main(): Promise<void> {
  write(
    `livedesk bench: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}; readers ${READERS.join(", ")}; ${RATES.join(" and ")} items/s for ${SECONDS} s; storm of ${STORM}\n`,
  );
  const results = [];
  for (const start of [startLivedesk, () => startBare("socketio"), () => startBare("ws")]) {
    const target = await start();
    try {
      results.push(await runTarget(target));
    } finally {
      await target.stop();
    }
  }
  const streams = results.flatMap((r) => r.streams);
  const memory = results.flatMap((r) => r.memory);

  write(
    "| target | readers | load | delivered/expected | p50 ms | p99 ms | max ms | CPU ms per 1,000 deliveries |",
  );
  write("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of streams) {
    write(
      `| ${r.target} | ${r.readers} | ${r.load} | ${r.delivered}/${r.expected} | ${format(r.p50)} | ${format(r.p99)} | ${format(r.max)} | ${format(r.cpuPer1000, 2)} |`,
    );
  }
  write("\n| target | readers | heap per reader (after GC) | RSS per reader |\n| --- | --- | --- | --- |");
  for (const r of memory) {
    write(
      `| ${r.target} | ${r.readers} | ${format(r.heapPerReader / 1024)} KB | ${format(r.rssPerReader / 1024)} KB |`,
    );
  }
  write("\n| target | readers reconnecting at once | resumed | p50 ms | p99 ms | max ms | server CPU ms |");
  write("| --- | --- | --- | --- | --- | --- | --- |");
  for (const { storm: r } of results) {
    write(
      `| ${r.target} | ${r.readers} | ${r.resumed} | ${format(r.p50)} | ${format(r.p99)} | ${format(r.max)} | ${format(r.cpuMs, 0)} |`,
    );
  }

  write("\nlivedesk / bare Socket.IO:");
  for (const row of streams.filter((r) => r.target === "livedesk")) {
    const bare = streams.find(
      (r) => r.target === "bare Socket.IO" && r.readers === row.readers && r.load === row.load,
    );
    if (bare === undefined) continue;
    const p99 = row.p99 / bare.p99;
    const cpu = row.cpuPer1000 / bare.cpuPer1000;
    const all = row.delivered === row.expected;
    const targeted = row.readers === 2000 && row.load === "10/s";
    write(
      `  ${row.readers} readers, ${row.load}: delivered ${all ? "all" : "NOT all"}, p99 ×${format(p99, 2)}, CPU per delivery ×${format(cpu, 2)}${targeted ? ` (target ≤1.25 and ≤1.2: ${verdict(all && p99 <= 1.25)}, ${verdict(cpu <= 1.2)})` : ""}`,
    );
  }
  for (const row of memory.filter((r) => r.target === "livedesk")) {
    const bare = memory.find((r) => r.target === "bare Socket.IO" && r.readers === row.readers);
    if (bare === undefined) continue;
    const heap = row.heapPerReader / bare.heapPerReader;
    write(
      `  ${row.readers} readers: heap per reader ×${format(heap, 2)}, RSS per reader ×${format(row.rssPerReader / bare.rssPerReader, 2)} (target ≤1.2: ${verdict(heap <= 1.2)})`,
    );
  }

  const { publishes, cpuPerPublish, reads } = await throughput();
  write(
    `\nPublishes acknowledged into SQLite with 100 readers connected (${PUBLISHERS} tools at once): ${format(publishes, 0)}/s, server CPU ${format(cpuPerPublish * 1000, 0)} µs per publish (target 2,000/s: ${verdict(publishes >= 2000)})`,
  );
  write(`GET /api/items?limit=50 (64 at once): ${format(reads, 0)} requests/s`);
}

await main();
