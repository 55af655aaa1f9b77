/**
 * `npm run bench:start` (and the end of `npm run bench`): how long `npm start` takes, from the
 * command to a `/healthz` answer, when the build is already there — what an operator waits for
 * after a restart (issue #12: under a second). The first start builds if the sources are newer
 * than the build and is not counted; then the fastest and the median of the next starts are
 * printed, with the machine's load, since on a shared machine one start can be held up by the
 * scheduler alone.
 *
 *   npm run bench:start -- --starts 7
 */
import os from "node:os";
import path from "node:path";
import { call } from "../tests/helpers/http";
import { type ServerProcess, spawnServer } from "../tests/helpers/process";
import { tempDir } from "../tests/helpers/server";
import { option } from "./crowd";

const STARTS = Number(option("starts", "7"));
const TARGET_MS = 1000;
const ROOT = path.resolve(import.meta.dirname, "..");

const write = (line = "") => process.stdout.write(`${line}\n`);
const dir = tempDir();

async function start(): Promise<{ server: ServerProcess; ms: number }> {
  const started = performance.now();
  const server = await spawnServer(
    {
      DATABASE_URL: `sqlite:${path.join(dir, "livedesk.db")}`,
      LIVEDESK_ADMIN_PASSWORD: "a long enough password",
    },
    [],
    { command: ["npm", "start"], cwd: ROOT, startTimeoutMs: 240_000 },
  );
  const health = await call(server.url, "GET", "/healthz");
  if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
  return { server, ms: performance.now() - started };
}

async function stop(server: ServerProcess): Promise<void> {
  server.child.kill("SIGTERM");
  const code = await server.exited;
  if (code !== 0) throw new Error(`npm start ended with ${code}`);
}

await stop((await start()).server);
const times: number[] = [];
for (let i = 0; i < STARTS; i += 1) {
  const { server, ms } = await start();
  times.push(ms);
  await stop(server);
}
times.sort((a, b) => a - b);
const fastest = times[0] ?? Number.NaN;
const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
write("npm start with the build in place, to the first /healthz answer");
write(`  starts: ${STARTS}, load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`);
write(`  fastest ${fastest.toFixed(0)} ms, median ${median.toFixed(0)} ms (target: under ${TARGET_MS} ms)`);
write(`  ${fastest < TARGET_MS ? "meets" : "MISSES"} the target`);
