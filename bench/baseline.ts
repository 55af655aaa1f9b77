/**
 * The build the publish target is measured against: the server as it was when issue #12 set
 * "no lower than today's" (`904145c`, 2,206 publishes/s on a quiet machine that day), bundled the
 * way bench/livedesk.ts bundles this tree's. A figure from another day is no yardstick on a
 * machine whose speed moves by tens of percent from hour to hour; the same run measuring both is.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { SERVER_BUNDLE } from "../scripts/server-bundle.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
export const BASELINE_COMMIT = "904145c";

/** `commit`'s `server/main.ts` bundled into dist/bench/ (its packages resolve from this tree's node_modules). */
export async function compileBaseline(commit = BASELINE_COMMIT): Promise<string> {
  const source = path.join(ROOT, "dist", "bench", `source-${commit}`);
  const outdir = path.join(ROOT, "dist", "bench", `main-${commit}`);
  const outfile = path.join(outdir, "main.js");
  if (fs.existsSync(outfile)) return outfile;
  fs.rmSync(source, { recursive: true, force: true });
  fs.mkdirSync(source, { recursive: true });
  const archive = execFileSync("git", ["archive", commit, "server", "shared"], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  execFileSync("tar", ["-x", "-C", source], { input: archive });
  // As bench/livedesk.ts bundles this tree's server: the two builds differ only in their code.
  await build({ ...SERVER_BUNDLE, entryPoints: { main: path.join(source, "server", "main.ts") }, outdir });
  return outfile;
}
