/**
 * `npm run bench:profile`: where livedesk's CPU goes, for one scenario at a time, on the compiled
 * server, profiled through its inspector while the scenario runs (not while it starts or warms up). It prints the server's CPU per publish or per delivery (from
 * /proc, so the figure holds on a loaded machine better than a rate does) and the profile's
 * heaviest functions and packages, self and total time.
 *
 *   npm run bench:profile -- --scenario publish --seconds 5          # 128 tools publishing, 100 readers
 *   npm run bench:profile -- --scenario publish --rate 200 --seconds 10   # a steady 200 a second
 *   npm run bench:profile -- --scenario deliver --readers 2000 --rate 10 --seconds 10
 *   npm run bench:profile -- --scenario publish --no-profile         # the CPU figure alone
 *   npm run bench:profile -- --script ../old/dist/bench/main/main.js      # an older build, for comparison
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { z } from "zod";
import { freePort } from "../tests/helpers/desk";
import { benchHeadline, Crowd, cpuMs, option, stream } from "./crowd";
import { Inspector } from "./inspect";
import { compile, startCompiledDesk } from "./livedesk";

const SCENARIO = option("scenario", "publish");
const SECONDS = Number(option("seconds", "5"));
const READERS = Number(option("readers", SCENARIO === "publish" ? "100" : "2000"));
/** Publishes a second, open loop; for `publish`, 0 (the default) publishes closed loop, as fast as answered. */
const RATE = Number(option("rate", SCENARIO === "publish" ? "0" : "10"));
const PUBLISHERS = Number(option("publishers", "128"));
const TOP = Number(option("top", "30"));
const PROFILE = !process.argv.includes("--no-profile");
/** Another build to measure (an older commit's server/main.ts, bundled as bench/livedesk.ts does). */
const SCRIPT = option("script", "");
const SUMMARY = "x".repeat(400);

const write = (line = "") => process.stdout.write(`${line}\n`);

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

/** Which source file each line of an esbuild bundle came from (its `// path` comments). */
function bundleFiles(bundle: string): (line: number) => string {
  const starts: { line: number; file: string }[] = [];
  fs.readFileSync(bundle, "utf8")
    .split("\n")
    .forEach((text, line) => {
      const match = /^\/\/ ((?:server|shared)\/\S+\.ts)$/.exec(text);
      if (match?.[1] !== undefined) starts.push({ line, file: match[1] });
    });
  return (line) => {
    let file = "livedesk";
    for (const start of starts) {
      if (start.line > line) break;
      file = start.file;
    }
    return file;
  };
}

/** A package, a livedesk file, Node's own code or V8's bookkeeping. */
function placeOf(url: string, functionName: string, line: number, fileOf: (line: number) => string): string {
  if (url === "") return functionName;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1] !== undefined) return pkg[1];
  if (url.endsWith("/main.mjs")) return fileOf(line);
  if (url.startsWith("node:")) return "node (JavaScript)";
  return url;
}

/** The profile's heaviest places and functions, in µs of CPU per operation (publish or delivery). */
function summarise(raw: unknown, bundle: string, operations: number, unit: string): void {
  const profile = profileSchema.parse(raw);
  const fileOf = bundleFiles(bundle);
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfByFunction = new Map<string, number>();
  const totalByFunction = new Map<string, number>();
  const selfByPlace = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(id);
    if (leaf === undefined || leaf.callFrame.functionName === "(idle)") return;
    busy += us;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node === undefined) break;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === "(root)") break;
      const place = placeOf(url, functionName, lineNumber, fileOf);
      const key = `${functionName || "(anonymous)"} ${place}${url.endsWith("/main.mjs") ? `:${lineNumber + 1}` : ""}`;
      if (at === id) {
        add(selfByFunction, key, us);
        add(selfByPlace, place, us);
      }
      if (!seen.has(key)) add(totalByFunction, key, us);
      seen.add(key);
    }
  });
  const table = (title: string, map: Map<string, number>) => {
    write(`\n${title}: µs per ${unit} (of ${(busy / operations).toFixed(1)} µs busy)`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      write(
        `  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${(us / operations).toFixed(2).padStart(8)}  ${key}`,
      );
    }
  };
  table("self time by place", selfByPlace);
  table("self time by function", selfByFunction);
  table("total time by function", totalByFunction);
}

async function main(): Promise<void> {
  const inspectPort = await freePort();
  const desk = await startCompiledDesk(
    [`--inspect=127.0.0.1:${inspectPort}`],
    SCRIPT === "" ? undefined : path.resolve(SCRIPT),
  );
  const inspector = await Inspector.connect(inspectPort);
  const pid = desk.pid ?? 0;
  const target = {
    name: "livedesk",
    protocol: "livedesk" as const,
    url: desk.url,
    pids: [pid],
    publish: async (index: number, intendedAt: number) => {
      const response = await fetch(`${desk.url}/api/items`, {
        method: "POST",
        headers: { authorization: `Bearer ${desk.editorToken}`, "content-type": "application/json" },
        body: JSON.stringify({
          headline: benchHeadline(index, intendedAt),
          summary: SUMMARY,
          topics: ["world"],
        }),
      });
      await response.arrayBuffer();
    },
  };
  const crowd = await Crowd.connect(target, READERS, SCENARIO === "publish" ? 1 : 2);
  // Warm up, so the figures are of optimised code.
  await stream(target, crowd, READERS, 50, 100, "warm-up");
  if (PROFILE) await inspector.startProfile();
  let operations = 0;
  if (SCENARIO === "publish" && RATE > 0) {
    // At a steady rate each publish commits alone or with a few others, so its CPU does not
    // depend on how many a group commit gathers, which on a loaded machine varies run to run.
    const row = await stream(target, crowd, READERS, RATE, RATE * SECONDS, `${RATE}/s`);
    operations = RATE * SECONDS;
    write(
      `publishes at ${RATE}/s with ${READERS} readers: ${row.delivered}/${row.expected} delivered, p99 ${row.p99.toFixed(1)} ms, server CPU ${((row.cpuPer1000 * row.delivered) / operations).toFixed(0)} µs per publish (load average ${os.loadavg()[0]?.toFixed(1)})`,
    );
  } else if (SCENARIO === "publish") {
    const before = cpuMs([pid]);
    const result = await autocannon({
      url: `${desk.url}/api/items`,
      method: "POST",
      connections: PUBLISHERS,
      duration: SECONDS,
      headers: { authorization: `Bearer ${desk.editorToken}`, "content-type": "application/json" },
      body: JSON.stringify({ headline: "Throughput", summary: SUMMARY, topics: ["world"] }),
    });
    const cpu = cpuMs([pid]) - before;
    operations = result["2xx"];
    write(
      `publishes: ${(result["2xx"] / result.duration).toFixed(0)}/s, ${result.non2xx + result.errors} failed, p99 ${result.latency.p99} ms, server CPU ${((cpu * 1000) / result["2xx"]).toFixed(0)} µs per publish (load average ${os.loadavg()[0]?.toFixed(1)})`,
    );
  } else {
    const row = await stream(target, crowd, READERS, RATE, RATE * SECONDS, `${RATE}/s`);
    operations = row.delivered;
    write(
      `${READERS} readers at ${RATE}/s: ${row.delivered}/${row.expected} delivered, p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, server CPU ${row.cpuPer1000.toFixed(2)} ms per 1,000 deliveries (load average ${os.loadavg()[0]?.toFixed(1)})`,
    );
  }
  const profile = PROFILE ? await inspector.stopProfile() : undefined;
  await crowd.close();
  inspector.close();
  await desk.stop();
  if (profile === undefined) return;
  summarise(
    profile,
    SCRIPT === "" ? await compile("server/main.ts") : path.resolve(SCRIPT),
    operations,
    SCENARIO === "publish" ? "publish" : "delivery",
  );
  const file = path.join(os.tmpdir(), `livedesk-${SCENARIO}-${Date.now()}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  write(`\nprofile: ${file} (Chrome's DevTools open it, Performance)`);
}

await main();
