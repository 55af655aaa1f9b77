import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { z } from "zod";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const listening = z.object({ msg: z.string(), port: z.number() });

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
}

export interface SpawnOptions {
  logFile?: string;
  /** Another way to start it, e.g. `["npm", "start"]` (tests/build/); by default tsx on server/main.ts. */
  command?: readonly string[];
  /** Where to run `command`; the repository by default. */
  cwd?: string;
  /** How long it may take to listen (a start that builds first takes longer); 20 s by default. */
  startTimeoutMs?: number;
}

/**
 * Starts `server/main.ts` as its own process, from its sources through tsx (`npm start` runs the
 * compiled build instead: `options.command` starts that), and waits until it listens.
 * Its log comes back through a pipe, or with `logFile` goes straight to that file, as it would to
 * a log collector: a benchmark's busy load generator must not be the one reading it.
 */
export async function spawnServer(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  options: SpawnOptions = {},
): Promise<ServerProcess> {
  const log = options.logFile === undefined ? "pipe" : fs.openSync(options.logFile, "w");
  const [file, ...args] = options.command ?? [
    process.execPath,
    ...nodeArgs,
    "--import",
    "tsx",
    "server/main.ts",
  ];
  if (file === undefined) throw new Error("spawnServer: the command is empty");
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const child = spawn(file, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", log, "pipe"],
  });
  if (typeof log === "number") fs.closeSync(log);
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  /** The port of the "serving" line, if `line` is it. */
  const servingOn = (line: string): number | undefined => {
    if (!line.startsWith("{")) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return undefined;
    }
    const parsed = listening.safeParse(json);
    return parsed.success && parsed.data.msg.includes("serving") ? parsed.data.port : undefined;
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), startTimeoutMs);
    const found = (port: number) => {
      clearTimeout(timer);
      resolve(port);
    };
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    const { logFile } = options;
    if (logFile === undefined) {
      const lines = readline.createInterface({ input: child.stdout ?? process.stdin });
      lines.on("line", (line) => {
        const port = servingOn(line);
        if (port !== undefined) found(port);
      });
      return;
    }
    const poll = setInterval(() => {
      // The last piece may be a line the server is still writing.
      for (const line of fs.readFileSync(logFile, "utf8").split("\n").slice(0, -1)) {
        const port = servingOn(line);
        if (port === undefined) continue;
        clearInterval(poll);
        found(port);
        return;
      }
    }, 50);
    void exited.then(() => clearInterval(poll));
    setTimeout(() => clearInterval(poll), startTimeoutMs).unref();
  });
  return { url: `http://127.0.0.1:${port}`, child, exited };
}
