import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./desk";

const BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PostgresServer {
  /** A URL for a new, empty database on this server. */
  createDatabase(): Promise<string>;
  /** Stops the server but keeps its data, for `resume()`. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /**
   * SIGSTOP to the server and every backend: connections stay open and nothing answers, as a
   * PostgreSQL that hangs would do. `thaw()` sends SIGCONT.
   */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root (PostgreSQL refuses root). */
function run(binary: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? "runuser" : path.join(BIN, binary);
  const fullArgs = asRoot ? ["-u", "postgres", "--", path.join(BIN, binary), ...args] : args;
  const result = spawnSync(command, fullArgs, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${binary} failed: ${result.stderr}${result.stdout}`);
}

/** A process that ended meanwhile (a backend whose client left) needs no signal. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ESRCH")) throw error;
  }
}

/** The postmaster of the server in `data`, then every process it started (its backends among them). */
function serverProcesses(data: string): number[] {
  const postmaster = Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  const children = spawnSync("pgrep", ["-P", String(postmaster)], { encoding: "utf8" })
    .stdout.split("\n")
    .filter((line) => line.trim() !== "")
    .map(Number);
  return [postmaster, ...children];
}

/**
 * A real PostgreSQL server in a temporary directory on a free port, started with initdb and
 * pg_ctl, and stopped (and removed) by `stop()`. fsync is off: these tests are about behaviour,
 * not durability, which the SQLite crash tests cover.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "livedesk-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  const port = await freePort();
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const start = () =>
    run("pg_ctl", [
      "-D",
      data,
      "-l",
      path.join(dir, "log"),
      "-w",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      "start",
    ]);
  start();
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let n = 0;
  return {
    async createDatabase() {
      n += 1;
      const name = `livedesk_${n}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async pause() {
      run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
    },
    async resume() {
      start();
    },
    freeze() {
      for (const pid of serverProcesses(data)) signal(pid, "SIGSTOP");
    },
    thaw() {
      for (const pid of serverProcesses(data).reverse()) signal(pid, "SIGCONT");
    },
    async stop() {
      for (const pid of serverProcesses(data)) signal(pid, "SIGCONT");
      run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
