/**
 * `npm run bench:cluster`: what one node and several hold when livedesk runs on PostgreSQL and
 * Redis behind nginx (docs/deploy/nginx.conf), as docs/deploy.md describes. For each node count
 * it starts the nodes on a fresh database, connects readers through nginx (spread over the nodes
 * by least_conn), publishes open loop through nginx, and reports delivery, publish→receive
 * latency and the CPU time of all nodes together. Everything runs on this one machine, so the
 * nodes share its cores with PostgreSQL, Redis, nginx and the readers.
 *
 *   npm run bench:cluster -- --nodes 1,3 --readers 1000,3000 --rate 10 --seconds 10
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setUpDesk } from "../tests/helpers/admin";
import { freePort } from "../tests/helpers/desk";
import { startNginx } from "../tests/helpers/nginx";
import { startPostgres } from "../tests/helpers/postgres";
import { type ServerProcess, spawnServer } from "../tests/helpers/process";
import { startRedis } from "../tests/helpers/redis";
import { Crowd, option, pause, type StreamRow, stream, type Target } from "./crowd";

const NODES = option("nodes", "1,3").split(",").map(Number);
const READERS = option("readers", "1000,3000").split(",").map(Number);
const RATE = Number(option("rate", "10"));
const SECONDS = Number(option("seconds", "10"));
const PASSWORD = "cluster-bench-password";
const SUMMARY = "x".repeat(400);

const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
const rows: (StreamRow & { nodes: number })[] = [];
try {
  for (const count of NODES) {
    const env = {
      DATABASE_URL: await postgres.createDatabase(),
      REDIS_URL: redis.url,
      LIVEDESK_ADMIN_PASSWORD: PASSWORD,
    };
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const nodes: ServerProcess[] = [];
    // One at a time: the first runs the migrations.
    const logs = fs.mkdtempSync(path.join(os.tmpdir(), "livedesk-cluster-bench-"));
    for (const port of ports) {
      nodes.push(
        await spawnServer({ ...env, PORT: String(port) }, [], { logFile: path.join(logs, `${port}.log`) }),
      );
    }
    const nginx = await startNginx(ports);
    try {
      const { editorToken } = await setUpDesk(nginx.url, PASSWORD);
      const target: Target = {
        name: `${count} node${count === 1 ? "" : "s"}`,
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
      for (const readers of READERS) {
        const crowd = await Crowd.connect(target, readers);
        await pause(1000);
        const row = await stream(target, crowd, readers, RATE, RATE * SECONDS, `${RATE}/s`);
        rows.push({ ...row, nodes: count });
        await crowd.close();
        await pause(1000);
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
process.stdout.write(
  `livedesk on PostgreSQL and Redis behind nginx, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${RATE} items/s for ${SECONDS} s\n\n`,
);
process.stdout.write(
  "| nodes | readers | delivered/expected | p50 ms | p99 ms | max ms | CPU ms per 1,000 deliveries (all nodes) |\n| --- | --- | --- | --- | --- | --- | --- |\n",
);
for (const r of rows) {
  process.stdout.write(
    `| ${r.nodes} | ${r.readers} | ${r.delivered}/${r.expected} | ${format(r.p50)} | ${format(r.p99)} | ${format(r.max)} | ${format(r.cpuPer1000, 2)} |\n`,
  );
}
