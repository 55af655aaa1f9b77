/**
 * What the benchmarks share: reader processes (bench/clients.ts) connected to a target, and the
 * open-loop publisher that times each item from its intended send time.
 */
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { decodeFromCompressedBase64, type Histogram } from "hdr-histogram-js";
import { z } from "zod";
import { latencyHistogram, maxMs, percentileMs } from "./latency";

const ROOT = path.resolve(import.meta.dirname, "..");

/** `--name value` from the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : (args[at + 1] ?? fallback);
}

export const now = () => performance.timeOrigin + performance.now();
/** An item's headline as the readers stamp it (bench/clients.ts): its index and intended send time. */
export const benchHeadline = (index: number, intendedAt: number) => `bench ${index} ${intendedAt.toFixed(3)}`;
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Protocol = "livedesk" | "socketio" | "ws";

/** A server readers connect to and a publisher sends items through. */
export interface Target {
  name: string;
  protocol: Protocol;
  url: string;
  /** The server processes, whose CPU time is counted. */
  pids: number[];
  /** On livedesk: the protocol its readers speak (2, as the dashboard, unless told otherwise). */
  livedeskProtocol?: 1 | 2;
  publish: (index: number, intendedAt: number) => Promise<void>;
}

/** CPU milliseconds processes have used (user + system), from /proc. */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / 100;
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

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Reader processes connected to one target. */
export class Crowd {
  private constructor(
    private readonly target: Target,
    private readonly children: ChildProcess[],
  ) {}

  static async connect(target: Target, readers: number, processes = 2): Promise<Crowd> {
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
    const { url, protocol, livedeskProtocol = 2 } = this.target;
    return Promise.all(
      this.children.map((child, i) => ask(child, { url, protocol, livedeskProtocol, ...message(i) }, event)),
    );
  }

  /** What the readers received since the last report: how many arrivals, added to `latencies`. */
  async report(latencies: Histogram): Promise<number> {
    const reports = await this.all(() => ({ command: "report" }), "report");
    for (const r of reports) latencies.add(decodeFromCompressedBase64(z.string().parse(r.latencies)));
    return reports.reduce((sum, r) => sum + Number(r.received), 0);
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

export interface StreamRow {
  target: string;
  readers: number;
  load: string;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  cpuPer1000: number;
  /** The server's CPU over the stream, in ms. */
  cpuMs: number;
  /** Every arrival's latency, in µs. */
  latencies: Histogram;
}

let published = 0;

/** Publishes `count` items open loop at `rate` a second and reports what the readers received. */
export async function stream(
  target: Target,
  crowd: Crowd,
  readers: number,
  rate: number,
  count: number,
  load: string,
) {
  // What arrived after the last stream gave up waiting belongs to it, not to this one.
  await crowd.report(latencyHistogram());
  const cpuBefore = cpuMs(target.pids);
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
  const latencies = latencyHistogram();
  let delivered = await crowd.report(latencies);
  for (const until = now() + 5000; delivered < readers * count && now() < until; ) {
    await pause(200);
    delivered += await crowd.report(latencies);
  }
  const counts = { delivered, expected: readers * count, cpuMs: cpuMs(target.pids) - cpuBefore };
  return streamRow({ target: target.name, readers, load }, counts, latencies);
}

/** A row of the table: what was delivered, its latencies' percentiles and the CPU per delivery. */
export function streamRow(
  of: Pick<StreamRow, "target" | "readers" | "load">,
  counts: Pick<StreamRow, "delivered" | "expected" | "cpuMs">,
  latencies: Histogram,
): StreamRow {
  return {
    ...of,
    ...counts,
    p50: percentileMs(latencies, 50),
    p99: percentileMs(latencies, 99),
    max: maxMs(latencies),
    cpuPer1000: counts.delivered === 0 ? Number.NaN : (counts.cpuMs / counts.delivered) * 1000,
    latencies,
  };
}
