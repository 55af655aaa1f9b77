/**
 * `npm run bench`: livedesk against a bare Socket.IO and a bare `ws` broadcast server, in one run,
 * with the same light clients (bench/clients.ts, separate processes) and the same open-loop
 * publisher. Each latency runs from an item's intended send time, so a stalled publisher cannot
 * hide delay (no coordinated omission). Memory is read through each server's inspector after
 * garbage collection (bench/inspect.ts). livedesk's readers speak protocol 2, as the dashboard
 * does; `--livedesk-protocol 1` measures clients of the first release instead. Every server runs
 * as compiled JavaScript on plain `node`, as in production (bundled here with esbuild into
 * dist/bench/), not through tsx, whose compiler and source maps would count as its memory.
 * The targets run side by side and stream in alternate turns (`--stream-turns`), so that a busy
 * moment of the machine does not fall on one target's figures only.
 *
 *   npm run bench:streams -- --readers 1000,2000,5000 --rates 1,10 --seconds 10 --storm 2000 --stream-turns 5
 */
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import autocannon from "autocannon";
import { z } from "zod";
import { freePort } from "../tests/helpers/desk";
import { sampleItem } from "../tests/helpers/items";
import { BASELINE_COMMIT, compileBaseline } from "./baseline";
import {
  benchHeadline,
  Crowd,
  cpuMs,
  option,
  pause,
  percentile,
  type StreamRow,
  stream,
  streamRow,
  type Target,
} from "./crowd";
import { Inspector, type Memory } from "./inspect";
import { pooled } from "./latency";
import { compile, startCompiledDesk } from "./livedesk";

const ROOT = path.resolve(import.meta.dirname, "..");
const READERS = option("readers", "1000,2000,5000").split(",").map(Number);
const RATES = option("rates", "1,10").split(",").map(Number);
const SECONDS = Number(option("seconds", "10"));
/**
 * The targets against bare Socket.IO, at 10 changes a second: p99 (and CPU per delivery
 * at 2,000) within these ratios.
 */
const TARGET_RATE = 10;
const TARGETS = new Map([
  [2000, { p99: 1.1, cpu: 1.1 }],
  [5000, { p99: 1.25, cpu: undefined }],
]);
/**
 * How long a stream runs where a target is judged. All of a publish's deliveries arrive within
 * one broadcast, so the p99 of a 10 s turn (100 publishes) is about its slowest publish; in 30 s
 * it is the third slowest, and one publish held up by the machine no longer decides the turn.
 */
const TARGET_SECONDS = Number(option("target-seconds", "30"));
const STORM = Number(option("storm", "2000"));
const CLIENT_PROCESSES = Number(option("client-processes", "2"));
const PUBLISHERS = Number(option("publishers", "128"));
/** Parts to leave out, for a quicker look at one: `--skip storm,throughput,ws`. */
const SKIP = new Set(option("skip", "").split(","));
/** Turns of each stream, the targets in alternate order each turn. */
const STREAM_TURNS = Number(option("stream-turns", "5"));
/** Turns of the publish throughput, each build 5 s per turn. */
const THROUGHPUT_TURNS = Number(option("throughput-turns", "5"));
const LIVEDESK_PROTOCOL = option("livedesk-protocol", "2") === "1" ? 1 : 2;

/** A target the benchmark started, and can look into and stop. */
interface BenchTarget extends Target {
  inspector: Inspector;
  /** An editor token, on livedesk. */
  token?: string;
  stop: () => Promise<void>;
}

const SUMMARY = "x".repeat(400);

/** This tree's livedesk, or another build of it (`script`: the baseline's bundle). */
async function startLivedesk(script?: string): Promise<BenchTarget> {
  const inspectPort = await freePort();
  const desk = await startCompiledDesk([`--inspect=127.0.0.1:${inspectPort}`], script);
  const headers = { authorization: `Bearer ${desk.editorToken}`, "content-type": "application/json" };
  const inspector = await Inspector.connect(inspectPort);
  return {
    name: LIVEDESK_PROTOCOL === 1 ? "livedesk (protocol 1)" : "livedesk",
    protocol: "livedesk",
    livedeskProtocol: LIVEDESK_PROTOCOL,
    url: desk.url,
    pids: [desk.pid ?? 0],
    inspector,
    token: desk.editorToken,
    publish: async (index, intendedAt) => {
      const response = await fetch(`${desk.url}/api/items`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          headline: benchHeadline(index, intendedAt),
          summary: SUMMARY,
          topics: ["world"],
        }),
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

async function startBare(protocol: "socketio" | "ws"): Promise<BenchTarget> {
  const inspectPort = await freePort();
  const child = spawn(
    process.execPath,
    [`--inspect=127.0.0.1:${inspectPort}`, await compile("bench/targets.ts"), protocol],
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
    pids: [child.pid ?? 0],
    inspector,
    publish: async (index, intendedAt) => {
      seq += 1;
      const at = new Date().toISOString();
      // The same shape and about the same size as a livedesk change.
      const change = {
        seq,
        kind: "created",
        item: sampleItem(`01JBENCH${String(index).padStart(18, "0")}`, {
          seq,
          headline: benchHeadline(index, intendedAt),
          summary: SUMMARY,
          publishedAt: at,
          updatedAt: at,
          author: "bench",
        }),
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

/** A server's memory with no reader connected, after its warm-up and full garbage collections. */
interface IdleRow {
  target: string;
  rss: number;
  heap: number;
}

interface MemoryRow {
  target: string;
  readers: number;
  heapPerReader: number;
  rssPerReader: number;
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
async function storm(target: BenchTarget): Promise<StormRow> {
  const crowd = await Crowd.connect(target, STORM, CLIENT_PROCESSES);
  await stream(target, crowd, STORM, 10, 10, "warm-up");
  const cpuBefore = cpuMs(target.pids);
  const times = await crowd.reconnect();
  const cpu = cpuMs(target.pids) - cpuBefore;
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

/** A target warmed up, so that none is measured while its code is still being compiled; then its idle memory. */
async function warmUp(target: BenchTarget): Promise<IdleRow> {
  const crowd = await Crowd.connect(target, 100, CLIENT_PROCESSES);
  await stream(target, crowd, 100, 50, 100, "warm-up");
  await crowd.close();
  await pause(1000);
  const memory = await target.inspector.memory();
  return { target: target.name, rss: memory.rss, heap: memory.heapUsed + memory.external };
}

/** One load on one target at one count of readers, in every turn, and all the turns together. */
interface StreamTurns extends StreamRow {
  turns: StreamRow[];
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/**
 * The turns of one stream as one: the percentiles of every delivery of every turn, and the CPU of
 * all of them over all the deliveries. A publish's deliveries all arrive within its broadcast, so
 * one turn's p99 is that of its few slowest publishes, and a single publish held up by the machine
 * moves it by a factor (×0.3 to ×2.5 between the turns of one run at 5,000 readers). Pooled, the
 * p99 of five turns is that of their slowest 1% of publishes, each target's turns interleaved with
 * the others' over the same minutes.
 */
function pooledRow(turns: StreamRow[]): StreamTurns {
  const [first] = turns;
  if (first === undefined) throw new Error("a stream with no turn");
  const sum = (of: (r: StreamRow) => number) => turns.reduce((total, r) => total + of(r), 0);
  const counts = {
    delivered: sum((r) => r.delivered),
    expected: sum((r) => r.expected),
    cpuMs: sum((r) => r.cpuMs),
  };
  const { target, readers, load } = first;
  return { ...streamRow({ target, readers, load }, counts, pooled(turns.map((r) => r.latencies))), turns };
}

/**
 * Every target's streams, at each count of readers: each target gets its own readers, all connected
 * at once, and the targets stream in turns, in the other order each turn, so that all of them meet
 * the same machine (a neighbour's burst of disk or CPU lands in one turn of one target, not in all
 * of a target's figures). A row pools its turns (`pooledRow`).
 */
async function measureStreams(targets: BenchTarget[]) {
  const memory: MemoryRow[] = [];
  const turns = new Map<string, StreamRow[]>();
  const record = (row: StreamRow) => {
    const key = `${row.target}|${row.readers}|${row.load}`;
    turns.set(key, [...(turns.get(key) ?? []), row]);
  };
  for (const readers of READERS) {
    const crowds: Crowd[] = [];
    for (const target of targets) {
      const before = await target.inspector.memory();
      crowds.push(await Crowd.connect(target, readers, CLIENT_PROCESSES));
      await pause(1000);
      memory.push({
        target: target.name,
        readers,
        ...perReader(before, await target.inspector.memory(), readers),
      });
    }
    // A short stream each, not counted: the first after a crowd connects ran slower than the
    // turns after it, whichever target it fell on.
    for (const [i, target] of targets.entries()) {
      await stream(target, crowds[i] as Crowd, readers, 10, 20, "settling");
    }
    for (let turn = 0; turn < STREAM_TURNS; turn += 1) {
      const order = targets.map((target, i) => ({ target, crowd: crowds[i] as Crowd }));
      for (const { target, crowd } of turn % 2 === 0 ? order : order.reverse()) {
        for (const rate of RATES) {
          const seconds = rate === TARGET_RATE && TARGETS.has(readers) ? TARGET_SECONDS : SECONDS;
          record(
            await stream(target, crowd, readers, rate, Math.max(1, Math.round(rate * seconds)), `${rate}/s`),
          );
        }
        record(await stream(target, crowd, readers, 100, 100, "burst: 100 in 1 s"));
      }
    }
    for (const crowd of crowds) await crowd.close();
    // Let the servers notice the readers are gone before the next count connects.
    await pause(1000);
  }
  return { streams: [...turns.values()].map(pooledRow), memory };
}

/** One closed-loop turn of `PUBLISHERS` tools publishing for 5 s: publishes/s and server CPU µs each. */
interface PublishTurn {
  perSecond: number;
  failed: number;
  p99: number;
  usPerPublish: number;
}

async function publishTurn(target: BenchTarget): Promise<PublishTurn> {
  const cpuBefore = cpuMs(target.pids);
  const publishes = await autocannon({
    url: `${target.url}/api/items`,
    method: "POST",
    connections: PUBLISHERS,
    duration: 5,
    headers: { authorization: `Bearer ${target.token}`, "content-type": "application/json" },
    body: JSON.stringify({ headline: "Throughput", summary: SUMMARY, topics: ["world"] }),
  });
  return {
    perSecond: publishes["2xx"] / publishes.duration,
    failed: publishes.non2xx + publishes.errors + publishes.timeouts,
    p99: publishes.latency.p99,
    usPerPublish: ((cpuMs(target.pids) - cpuBefore) * 1000) / publishes["2xx"],
  };
}

/**
 * Closed loop, with autocannon: as many publishes as `PUBLISHERS` newsroom tools at once get
 * acknowledged, with 100 readers connected, this tree's build and the baseline's (bench/baseline.ts)
 * in alternate turns, so that both meet the same machine; then `GET /api/items` the same way.
 */
async function throughput() {
  const current = await startLivedesk();
  const baseline = await startLivedesk(await compileBaseline());
  const now = { name: "livedesk", target: current, runs: [] as PublishTurn[] };
  const before = { name: `livedesk at ${BASELINE_COMMIT}`, target: baseline, runs: [] as PublishTurn[] };
  const builds = [now, before];
  const crowds = await Promise.all(builds.map(({ target }) => Crowd.connect(target, 100, 1)));
  // A first turn each, not counted: its first seconds are the JIT compiler's.
  for (const build of builds) await publishTurn(build.target);
  for (let turn = 0; turn < THROUGHPUT_TURNS; turn += 1) {
    // Each turn in the other order, so that neither build always follows the same one.
    for (const build of turn % 2 === 0 ? builds : [...builds].reverse()) {
      build.runs.push(await publishTurn(build.target));
    }
  }
  const reads = await autocannon({ url: `${current.url}/api/items?limit=50`, connections: 64, duration: 5 });
  for (const crowd of crowds) await crowd.close();
  for (const { target } of builds) await target.stop();
  const summary = ({ name, runs }: { name: string; runs: PublishTurn[] }) => ({
    name,
    publishes: median(runs.map((r) => r.perSecond)),
    each: runs.map((r) => r.perSecond),
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
    p99: median(runs.map((r) => r.p99)),
    cpuPerPublish: median(runs.map((r) => r.usPerPublish)),
  });
  return { now: summary(now), before: summary(before), reads: reads["2xx"] / reads.duration };
}

const format = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "—");
const write = (line = "") => process.stdout.write(`${line}\n`);
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
/** Each turn's ratio, as the verdict lines list them. */
const eachRatio = (ratios: number[]) => ratios.map((r) => `×${format(r, 2)}`).join(" ");

async function main(): Promise<void> {
  write(
    `livedesk bench: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}; readers ${READERS.join(", ")}; ${RATES.join(" and ")} items/s for ${SECONDS} s (${TARGET_RATE}/s for ${TARGET_SECONDS} s at ${[...TARGETS.keys()].join(" and ")} readers); storm of ${STORM}\n`,
  );
  const starts = [startLivedesk, () => startBare("socketio"), () => startBare("ws")];
  const targets: BenchTarget[] = [];
  let measured: Awaited<ReturnType<typeof measureStreams>>;
  const idle: IdleRow[] = [];
  const storms: StormRow[] = [];
  try {
    for (const start of SKIP.has("ws") ? starts.slice(0, 2) : starts) targets.push(await start());
    for (const target of targets) idle.push(await warmUp(target));
    measured = await measureStreams(targets);
    if (!SKIP.has("storm")) for (const target of targets) storms.push(await storm(target));
  } finally {
    for (const target of targets) await target.stop();
  }
  const { streams, memory } = measured;

  write(
    "| target | readers | load | delivered/expected | p50 ms | p99 ms | max ms | CPU ms per 1,000 deliveries |",
  );
  write("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of streams) {
    write(
      `| ${r.target} | ${r.readers} | ${r.load} | ${r.delivered}/${r.expected} | ${format(r.p50)} | ${format(r.p99)} | ${format(r.max)} | ${format(r.cpuPer1000, 2)} |`,
    );
  }
  write("\n| target | idle RSS | idle heap (after GC) |\n| --- | --- | --- |");
  for (const r of idle)
    write(`| ${r.target} | ${format(r.rss / 1024 / 1024)} MB | ${format(r.heap / 1024 / 1024)} MB |`);
  write("\n| target | readers | heap per reader (after GC) | RSS per reader |\n| --- | --- | --- | --- |");
  for (const r of memory) {
    write(
      `| ${r.target} | ${r.readers} | ${format(r.heapPerReader / 1024)} KB | ${format(r.rssPerReader / 1024)} KB |`,
    );
  }
  write("\n| target | readers reconnecting at once | resumed | p50 ms | p99 ms | max ms | server CPU ms |");
  write("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of storms) {
    write(
      `| ${r.target} | ${r.readers} | ${r.resumed} | ${format(r.p50)} | ${format(r.p99)} | ${format(r.max)} | ${format(r.cpuMs, 0)} |`,
    );
  }

  const livedesk = LIVEDESK_PROTOCOL === 1 ? "livedesk (protocol 1)" : "livedesk";
  // All of livedesk's turns against all of bare Socket.IO's; each turn against the bare turn next to it in brackets.
  write(
    `\nlivedesk / bare Socket.IO (the ${STREAM_TURNS} turns' deliveries together; each turn's own ratio in brackets):`,
  );
  for (const row of streams.filter((r) => r.target === livedesk)) {
    const bare = streams.find(
      (r) => r.target === "bare Socket.IO" && r.readers === row.readers && r.load === row.load,
    );
    if (bare === undefined) continue;
    const ratios = (of: (r: StreamRow) => number) =>
      row.turns.map((turn, i) => of(turn) / of(bare.turns[i] ?? bare));
    const p99s = ratios((r) => r.p99);
    const cpus = ratios((r) => r.cpuPer1000);
    const p99 = row.p99 / bare.p99;
    const cpu = row.cpuPer1000 / bare.cpuPer1000;
    // Every turn of both, so that a surplus in one turn (a late delivery) cannot hide a loss in another.
    const all = [...row.turns, ...bare.turns].every((turn) => turn.delivered === turn.expected);
    const limits = row.load === `${TARGET_RATE}/s` ? TARGETS.get(row.readers) : undefined;
    const target =
      limits === undefined
        ? ""
        : limits.cpu === undefined
          ? ` (target p99 ≤${limits.p99}: ${verdict(all && p99 <= limits.p99)})`
          : ` (target p99 and CPU ≤${limits.p99}: ${verdict(all && p99 <= limits.p99)}, ${verdict(cpu <= limits.cpu)})`;
    write(
      `  ${row.readers} readers, ${row.load}: delivered ${all ? "all" : "NOT all"}, p99 ×${format(p99, 2)} (${eachRatio(p99s)}), CPU per delivery ×${format(cpu, 2)} (${eachRatio(cpus)})${target}`,
    );
  }
  const idleRatio =
    (idle.find((r) => r.target === livedesk)?.rss ?? Number.NaN) /
    (idle.find((r) => r.target === "bare Socket.IO")?.rss ?? Number.NaN);
  write(`  idle RSS ×${format(idleRatio, 2)} (target ≤1.5: ${verdict(idleRatio <= 1.5)})`);
  for (const row of memory.filter((r) => r.target === livedesk)) {
    const bare = memory.find((r) => r.target === "bare Socket.IO" && r.readers === row.readers);
    if (bare === undefined) continue;
    const heap = row.heapPerReader / bare.heapPerReader;
    const rss = row.rssPerReader / bare.rssPerReader;
    write(
      `  ${row.readers} readers: RSS per reader ×${format(rss, 2)} (target ≤1.1: ${verdict(rss <= 1.1)}), heap per reader ×${format(heap, 2)}`,
    );
  }

  if (SKIP.has("throughput")) return;
  const { now, before, reads } = await throughput();
  write(
    `\nPublishes acknowledged into SQLite with 100 readers connected (${PUBLISHERS} tools at once, ${THROUGHPUT_TURNS} turns of 5 s each, the builds in alternate turns; medians):`,
  );
  for (const b of [now, before]) {
    write(
      `  ${b.name}: ${format(b.publishes, 0)}/s (turns: ${b.each.map((n) => format(n, 0)).join(", ")}), ${b.failed} failed, p99 ${format(b.p99)} ms, server CPU ${format(b.cpuPerPublish, 0)} µs per publish`,
    );
  }
  // Each turn against the baseline's turn next to it in time, as for the streams; the median of those.
  const ratios = now.each.map((perSecond, i) => perSecond / (before.each[i] ?? Number.NaN));
  const ratio = median(ratios);
  write(
    `  ×${format(ratio, 2)} the publishes/s of ${BASELINE_COMMIT}, the median of the turns' ratios (${eachRatio(ratios)}) (target: no lower than before: ${verdict(ratio >= 1 && now.failed === 0)})`,
  );
  write(`GET /api/items?limit=50 (64 at once): ${format(reads, 0)} requests/s`);
}

await main();
