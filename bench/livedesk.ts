/**
 * Starting livedesk the way the benchmarks measure it: `server/main.ts` bundled for plain `node`
 * (as production runs it), on a fresh SQLite file, with an editor token for the publisher.
 */
import path from "node:path";
import { build } from "esbuild";
import { Desk } from "../tests/helpers/desk";

const ROOT = path.resolve(import.meta.dirname, "..");

/** `entry` bundled for `node` (its packages left to node_modules) into dist/bench/, once per run. */
const compiled = new Map<string, Promise<string>>();
export function compile(entry: string): Promise<string> {
  const known = compiled.get(entry);
  if (known !== undefined) return known;
  const outfile = path.join(ROOT, "dist", "bench", `${path.basename(entry, ".ts")}.mjs`);
  const done = build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    logLevel: "warning",
  }).then(() => outfile);
  compiled.set(entry, done);
  return done;
}

/**
 * The compiled livedesk in its own process; `nodeArgs` go to its `node` (`--inspect=…`). `script`
 * runs another build (an older commit's, bundled the same way) instead of this tree's.
 */
export async function startCompiledDesk(nodeArgs: string[] = [], script?: string): Promise<Desk> {
  return Desk.start({ nodeArgs, logToFile: true, script: script ?? (await compile("server/main.ts")) });
}
