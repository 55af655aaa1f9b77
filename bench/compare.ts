/**
 * `npm run bench:compare`: two or more builds of the server, side by side, in short turns: each
 * takes the same fixed number of publishes in turn, again and again, and the server CPU each
 * publish cost is compared turn by turn. On a machine shared with other work a single run's
 * figure moves by tens of percent with the neighbours; interleaved turns meet the same
 * neighbours, so their median ratio holds much better. Builds are bundles of `server/main.ts`
 * (bench/livedesk.ts makes this tree's; build an older commit's the same way with esbuild).
 *
 *   npm run bench:compare -- --scripts dist/bench/main/main.js,../old/dist/bench/main/main.js --turns 10
 *   npm run bench:compare -- --scripts A.js,B.js --rate 800   # a steady 800 publishes a second
 *
 * Closed loop (the default) is the bench's own measure; its CPU per publish moves with how many
 * publishes each group commit gathers, which the neighbours change from turn to turn. At a steady
 * `--rate` both builds see the same arrivals (the commits gather fewer publishes, so each costs
 * more); on the shared machine it was not less noisy than the closed loop.
 */
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import type { Desk } from "../tests/helpers/desk";
import { Crowd, cpuMs, option, percentile } from "./crowd";
import { compile, startCompiledDesk } from "./livedesk";

const TURNS = Number(option("turns", "10"));
const PUBLISHES = Number(option("publishes", "2000"));
const READERS = Number(option("readers", "100"));
const CONNECTIONS = Number(option("connections", "128"));
/** Publishes a second across all connections; 0 (the default): as fast as they are answered. */
const RATE = Number(option("rate", "0"));
const SUMMARY = "x".repeat(400);
const write = (line = "") => process.stdout.write(`${line}\n`);

interface Build {
  name: string;
  desk: Desk;
  crowd: Crowd;
  usPerPublish: number[];
  perSecond: number[];
}

/** `PUBLISHES` publishes by `CONNECTIONS` tools at once; the server's CPU µs per publish and publishes/s. */
async function turn(desk: Desk): Promise<{ us: number; perSecond: number }> {
  const pid = desk.pid ?? 0;
  const before = cpuMs([pid]);
  const result = await autocannon({
    url: `${desk.url}/api/items`,
    method: "POST",
    connections: CONNECTIONS,
    amount: PUBLISHES,
    ...(RATE > 0 ? { overallRate: RATE } : {}),
    headers: { authorization: `Bearer ${desk.editorToken}`, "content-type": "application/json" },
    body: JSON.stringify({ headline: "Compare", summary: SUMMARY, topics: ["world"] }),
  });
  if (result["2xx"] !== PUBLISHES)
    throw new Error(`only ${result["2xx"]} of ${PUBLISHES} publishes succeeded`);
  return { us: ((cpuMs([pid]) - before) * 1000) / PUBLISHES, perSecond: PUBLISHES / result.duration };
}

async function main(): Promise<void> {
  const scripts = option("scripts", "")
    .split(",")
    .filter((s) => s !== "");
  if (scripts.length === 0) scripts.push(await compile("server/main.ts"));
  const builds: Build[] = [];
  for (const script of scripts) {
    const desk = await startCompiledDesk([], path.resolve(script));
    const crowd = await Crowd.connect(
      { name: script, protocol: "livedesk", url: desk.url, pids: [], publish: async () => {} },
      READERS,
      1,
    );
    builds.push({ name: script, desk, crowd, usPerPublish: [], perSecond: [] });
    await turn(desk); // warm-up
  }
  write(
    `${TURNS} turns of ${PUBLISHES} publishes (${CONNECTIONS} at once${RATE > 0 ? `, ${RATE}/s` : ""}, ${READERS} readers each)`,
  );
  for (let i = 0; i < TURNS; i += 1) {
    // Each turn in the other order, so that neither build always follows the same one.
    const order = i % 2 === 0 ? builds : [...builds].reverse();
    for (const build of order) {
      const { us, perSecond } = await turn(build.desk);
      build.usPerPublish.push(us);
      build.perSecond.push(perSecond);
    }
    write(
      `  turn ${i + 1}: ${builds.map((b) => `${b.usPerPublish.at(-1)?.toFixed(0)} µs`).join(" / ")} (load average ${os.loadavg()[0]?.toFixed(1)})`,
    );
  }
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const [first] = builds;
  for (const build of builds) {
    const ratios = build.usPerPublish.map((us, i) => us / (first?.usPerPublish[i] ?? us));
    write(
      `${build.name}: median ${median(build.usPerPublish).toFixed(0)} µs per publish, ${median(build.perSecond).toFixed(0)} publishes/s; against the first, turn by turn: median ×${median(ratios).toFixed(3)}`,
    );
  }
  for (const build of builds) {
    await build.crowd.close();
    await build.desk.stop();
  }
}

await main();
