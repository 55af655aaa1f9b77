import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { type Item, itemSchema } from "../../shared/item";
import { setUpDesk } from "./admin";
import { type ServerProcess, spawnServer } from "./process";
import { tempDir } from "./server";

export const DESK_ADMIN_PASSWORD = "desk-admin-password";
const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** A port nobody listens on right now, so a restarted server can come back on the same one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A whole livedesk in its own process on a fresh SQLite file, seen from outside: topics, an
 * editor token, and the calls a newsroom tool makes. It can be killed and restarted on its port.
 */
export class Desk {
  private process: ServerProcess | undefined;
  private token = "";
  private adminHeaders: Record<string, string> = {};

  private constructor(
    readonly url: string,
    private readonly env: Record<string, string>,
    private readonly dir: string,
    private readonly nodeArgs: string[],
    private readonly logFile: string | undefined,
    private readonly script: string | undefined,
  ) {}

  /**
   * `nodeArgs` go to the server's node (`--inspect=…`, say); `logToFile` sends its log to a file;
   * `env` adds to the server's environment (LIVEDESK_FRAME_ANCESTORS, say); `script` runs that
   * compiled server on node instead of the sources through tsx (the benchmark's).
   */
  static async start(
    options: { nodeArgs?: string[]; logToFile?: boolean; env?: Record<string, string>; script?: string } = {},
  ): Promise<Desk> {
    const dir = tempDir();
    const port = await freePort();
    const desk = new Desk(
      `http://127.0.0.1:${port}`,
      {
        PORT: String(port),
        DATABASE_URL: `sqlite:${path.join(dir, "livedesk.db")}`,
        LIVEDESK_ADMIN_PASSWORD: DESK_ADMIN_PASSWORD,
        LOG_LEVEL: "info",
        ...options.env,
      },
      dir,
      options.nodeArgs ?? [],
      options.logToFile ? path.join(dir, "server.log") : undefined,
      options.script,
    );
    await desk.boot();
    const session = await setUpDesk(desk.url, DESK_ADMIN_PASSWORD, {
      world: "World",
      politics: "Politics",
      sport: "Sport",
      weather: "Weather",
    });
    desk.adminHeaders = session.headers;
    desk.token = session.editorToken;
    return desk;
  }

  private async boot(): Promise<void> {
    this.process = await spawnServer(this.env, this.nodeArgs, {
      ...(this.logFile === undefined ? {} : { logFile: this.logFile }),
      ...(this.script === undefined ? {} : { command: [process.execPath, ...this.nodeArgs, this.script] }),
    });
  }

  async call(
    method: string,
    pathname: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<unknown> {
    const response = await fetch(`${this.url}${pathname}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(headers ?? { authorization: `Bearer ${this.token}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${text}`);
    return text === "" ? null : JSON.parse(text);
  }

  /** The editor token newsroom tools would use, for callers that make their own requests. */
  get editorToken(): string {
    return this.token;
  }

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.process?.child.pid;
  }

  /** A call with the admin's session, for what only admins may do (follow a wire, say). */
  async callAsAdmin(method: string, pathname: string, body?: unknown): Promise<unknown> {
    return this.call(method, pathname, body, this.adminHeaders);
  }

  async createTopic(slug: string, name: string): Promise<void> {
    await this.call("POST", "/api/topics", { slug, name }, this.adminHeaders);
  }

  async createOperator(username: string, password: string, role: "admin" | "editor"): Promise<void> {
    await this.call("POST", "/api/operators", { username, password, role }, this.adminHeaders);
  }

  async publish(fields: Record<string, unknown>): Promise<Item> {
    return itemSchema.parse(await this.call("POST", "/api/items", { topics: ["world"], ...fields }));
  }

  async edit(item: Item, fields: Record<string, unknown>): Promise<Item> {
    return itemSchema.parse(
      await this.call("PATCH", `/api/items/${item.id}`, { version: item.version, ...fields }),
    );
  }

  /** `withdrawHeadline` makes it a legal kill. */
  async retract(item: Item, reason: string, options: { withdrawHeadline?: boolean } = {}): Promise<Item> {
    return itemSchema.parse(await this.call("POST", `/api/items/${item.id}/retract`, { reason, ...options }));
  }

  /** SIGKILL, as a crash would; `start()` brings it back on the same port and file. */
  async kill(): Promise<void> {
    this.process?.child.kill("SIGKILL");
    await this.process?.exited;
    this.process = undefined;
  }

  async restart(): Promise<void> {
    await this.boot();
  }

  /** The database file the server runs on. */
  get databaseFile(): string {
    return path.join(this.dir, "livedesk.db");
  }

  /** A copy of the database as it is now, taken while the server runs, as a backup job would. */
  async backup(): Promise<string> {
    const copy = path.join(this.dir, `backup-${Date.now()}.db`);
    const db = new Database(this.databaseFile);
    try {
      // SQLite's online backup: consistent, write-ahead log included, while the server writes.
      await db.backup(copy);
    } finally {
      db.close();
    }
    return copy;
  }

  /**
   * Restores a backup the way docs/deploy.md tells ops to: stop the server, put the copy in place
   * of the database (its write-ahead log goes), start again on the same port. No renewed epoch:
   * readers that kept a lost change's seq must notice by themselves.
   */
  async restore(backup: string): Promise<void> {
    await this.replaceDatabase(backup);
  }

  /**
   * Stops the server, puts `file` in place of its database and starts it again on the same port;
   * `renewEpoch` runs `npm run renew-epoch` on the file first (optional after a restore).
   */
  async replaceDatabase(file: string, options: { renewEpoch?: boolean } = {}): Promise<void> {
    if (this.process !== undefined) {
      this.process.child.kill("SIGTERM");
      await this.process.exited;
      this.process = undefined;
    }
    for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${this.databaseFile}${suffix}`, { force: true });
    fs.copyFileSync(file, this.databaseFile);
    if (options.renewEpoch === true) {
      // Throws with the tool's own words when it fails.
      await promisify(execFile)(process.execPath, ["--import", "tsx", "server/renew-epoch.ts"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: this.env.DATABASE_URL },
      });
    }
    await this.boot();
  }

  async stop(): Promise<void> {
    if (this.process !== undefined) {
      this.process.child.kill("SIGTERM");
      await this.process.exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
