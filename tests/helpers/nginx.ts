import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./desk";

const CONFIG = path.resolve(import.meta.dirname, "..", "..", "docs", "deploy", "nginx.conf");

/** Debian's nginx with the configuration from docs/deploy/nginx.conf, in front of `ports`. */
export async function startNginx(
  ports: readonly number[],
): Promise<{ url: string; stop: () => Promise<void> }> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "livedesk-nginx-"));
  // Workers run as an unprivileged user when the master is root: they need the temp folders.
  fs.chmodSync(prefix, 0o777);
  const port = await freePort();
  const config = fs
    .readFileSync(CONFIG, "utf8")
    .replaceAll("{{PREFIX}}", prefix)
    .replaceAll("{{PORT}}", String(port))
    .replaceAll(
      "{{UPSTREAMS}}",
      ports.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join("\n    "),
    );
  const file = path.join(prefix, "nginx.conf");
  fs.writeFileSync(file, config);
  const child: ChildProcess = spawn("nginx", ["-c", file, "-p", prefix, "-g", "daemon off;"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    try {
      await fetch(`${url}/healthz`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGQUIT");
      await exited;
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}
