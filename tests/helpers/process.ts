import { type ChildProcess, spawn } from "node:child_process";
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

/** Starts `server/main.ts` as its own process, as `npm start` does, and waits until it listens. */
export async function spawnServer(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = readline.createInterface({ input: child.stdout ?? process.stdin });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000);
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    lines.on("line", (line) => {
      if (!line.startsWith("{")) return;
      const parsed = listening.safeParse(JSON.parse(line));
      if (parsed.success && parsed.data.msg.includes("serving")) {
        clearTimeout(timer);
        resolve(parsed.data.port);
      }
    });
  });
  return { url: `http://127.0.0.1:${port}`, child, exited };
}
