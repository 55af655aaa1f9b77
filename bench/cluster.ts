/**
 * `npm run bench:cluster`: what one node and several hold when livedesk runs on PostgreSQL and
 * Redis behind nginx (docs/deploy/nginx.conf), as docs/deploy.md describes, against one node on
 * SQLite behind the same nginx, in one run. For each setup it starts the nodes on a fresh
 * database, and then:
 *
 * - streams: connects readers through nginx (spread over the nodes by least_conn), publishes
 *   open loop through nginx, and reports delivery, publish→receive latency and the CPU time of
 *   all nodes together (PostgreSQL setups only);
 * - throughput: `--publishers` newsroom tools publish through nginx as fast as they are answered
 *   (closed loop, autocannon) with 100 readers connected, and it reports publishes acknowledged
 *   per second, as `npm run bench` does for SQLite alone.
 *
 * Everything runs on this one machine, so the nodes share its cores with PostgreSQL, Redis,
 * nginx, the readers and the publishers.
 *
 *   npm run bench:cluster -- --nodes 1,3 --readers 1000,3000 --rate 10 --seconds 10 --publishers 128
 *   npm run bench:cluster -- --skip streams     # publishes per second only
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { setUpDesk } from "../tests/helpers/admin";
import { freePort } from "../tests/helpers/desk";
import { startNginx } from "../tests/helpers/nginx";
import { startPostgres } from "../tests/helpers/postgres";
import { type ServerProcess, spawnServer } from "../tests/helpers/process";
import { startRedis } from "../tests/helpers/redis";
import { Crowd, cpuMs, option, pause, type StreamRow, stream, type Target } from "./crowd";

const NODES = option("nodes", "1,3").split(",").map(Number);
const READERS = option("readers", "1000,3000").split(",").map(Number);
const RATE = Number(option("rate", "10"));
const SECONDS = Number(option("seconds", "10"));
const PUBLISHERS = Number(option("publishers", "128"));
const THROUGHPUT_SECONDS = Number(option("throughput-seconds", "5"));
/** Parts to leave out: `--skip streams` or `--skip throughput`. */
const SKIP = new Set(option("skip", "").split(","));
const PASSWORD = "cluster-bench-password";
const SUMMARY = "x".repeat(400);

interface Setup {
  storage: "SQLite" | "PostgreSQL";
  nodes: number;
}

interface ThroughputRow extends Setup {
  /** Through nginx, or straight to the node (SQLite only: the figure `npm run bench` gives). */
  via: "nginx" | "direct";
  publishes: number;
  failed: number;
  p99: number;
  cpuPerPublish: number;
}

/** Closed loop through nginx, with 100 readers connected: publishes acknowledged per second. */
async function throughput(target: Target, token: string): Promise<Omit<ThroughputRow, keyof Setup | "via">> {
  const crowd = await Crowd.connect(target, 100, 1);
  await pause(1000);
  const cpuBefore = cpuMs(target.pids);
  const result = await autocannon({
    url: `${target.url}/api/items`,
    method: "POST",
    connections: PUBLISHERS,
    duration: THROUGHPUT_SECONDS,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ headline: "Throughput", summary: SUMMARY, topics: ["world"] }),
  });
  const cpu = cpuMs(target.pids) - cpuBefore;
  await crowd.close();
  return {
    publishes: result["2xx"] / result.duration,
    failed: result.non2xx + result.errors + result.timeouts,
    p99: result.latency.p99,
    cpuPerPublish: cpu / result["2xx"],
  };
}

const setups: Setup[] = [
  ...(SKIP.has("throughput") ? [] : [{ storage: "SQLite" as const, nodes: 1 }]),
  ...NODES.map((nodes) => ({ storage: "PostgreSQL" as const, nodes })),
];
const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
const streams: (StreamRow & { nodes: number })[] = [];
const throughputs: ThroughputRow[] = [];
try {
  for (const setup of setups) {
    const logs = fs.mkdtempSync(path.join(os.tmpdir(), "livedesk-cluster-bench-"));
    const env =
      setup.storage === "SQLite"
        ? { DATABASE_URL: `sqlite:${path.join(logs, "livedesk.db")}`, LIVEDESK_ADMIN_PASSWORD: PASSWORD }
        : {
            DATABASE_URL: await postgres.createDatabase(),
            REDIS_URL: redis.url,
            LIVEDESK_ADMIN_PASSWORD: PASSWORD,
          };
    const ports = await Promise.all(Array.from({ length: setup.nodes }, () => freePort()));
    const nodes: ServerProcess[] = [];
    // One at a time: the first runs the migrations.
    for (const port of ports) {
      nodes.push(
        await spawnServer({ ...env, PORT: String(port) }, [], { logFile: path.join(logs, `${port}.log`) }),
      );
    }
    const nginx = await startNginx(ports);
    try {
      const { editorToken } = await setUpDesk(nginx.url, PASSWORD);
      const target: Target = {
        name: `${setup.nodes} node${setup.nodes === 1 ? "" : "s"}`,
        protocol: "livedesk",
        url: nginx.url,
        pids: nodes.map((node) => node.child.pid ?? 0),
        publish: async (index, intendedAt) => {
          const response = await fetch(`${nginx.url}/api/items`, {
            method: "POST",
            headers: { authorization: `Bearer ${editorToken}`, "content-type": "application/json" },
            body: JSON.stringify({
              headline: `bench ${index} ${intendedAt.toFixed(3)}`,
              summary: SUMMARY,
              topics: ["world"],
            }),
          });
          await response.arrayBuffer();
        },
      };
      if (setup.storage === "PostgreSQL" && !SKIP.has("streams")) {
        for (const readers of READERS) {
          const crowd = await Crowd.connect(target, readers);
          await pause(1000);
          const row = await stream(target, crowd, readers, RATE, RATE * SECONDS, `${RATE}/s`);
          streams.push({ ...row, nodes: setup.nodes });
          await crowd.close();
          await pause(1000);
        }
      }
      if (!SKIP.has("throughput")) {
        throughputs.push({ ...setup, via: "nginx", ...(await throughput(target, editorToken)) });
        const [node] = nodes;
        if (setup.storage === "SQLite" && node !== undefined) {
          const direct = { ...target, url: node.url };
          throughputs.push({ ...setup, via: "direct", ...(await throughput(direct, editorToken)) });
        }
      }
    } finally {
      await nginx.stop();
      for (const node of nodes) node.child.kill("SIGTERM");
      await Promise.all(nodes.map((node) => node.exited));
      fs.rmSync(logs, { recursive: true, force: true });
    }
  }
} finally {
  await redis.stop();
  await postgres.stop();
}

const format = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "—");
const write = (line = "") => process.stdout.write(`${line}\n`);
write(
  `livedesk behind nginx, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}\n`,
);
if (streams.length > 0) {
  write(`On PostgreSQL and Redis, ${RATE} items/s for ${SECONDS} s:\n`);
  write(
    "| nodes | readers | delivered/expected | p50 ms | p99 ms | max ms | CPU ms per 1,000 deliveries (all nodes) |\n| --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const r of streams) {
    write(
      `| ${r.nodes} | ${r.readers} | ${r.delivered}/${r.expected} | ${format(r.p50)} | ${format(r.p99)} | ${format(r.max)} | ${format(r.cpuPer1000, 2)} |`,
    );
  }
  write();
}
if (throughputs.length > 0) {
  const sqlite = throughputs.find((row) => row.storage === "SQLite" && row.via === "nginx");
  write(
    `Publishes acknowledged, ${PUBLISHERS} tools at once for ${THROUGHPUT_SECONDS} s, 100 readers connected:\n`,
  );
  write(
    "| storage | nodes | via | publishes/s | against SQLite via nginx | failed | p99 ms | node CPU µs per publish (all nodes) |\n| --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const r of throughputs) {
    const ratio = sqlite === undefined ? Number.NaN : r.publishes / sqlite.publishes;
    write(
      `| ${r.storage} | ${r.nodes} | ${r.via} | ${format(r.publishes, 0)} | ×${format(ratio, 2)} | ${r.failed} | ${format(r.p99)} | ${format(r.cpuPerPublish * 1000, 0)} |`,
    );
  }
}
