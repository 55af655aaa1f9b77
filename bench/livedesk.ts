/**
 * Starting livedesk the way the benchmarks measure it: `server/main.ts` bundled for plain `node`
 * (as production runs it), on a fresh SQLite file, with an editor token for the publisher.
 */
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { SERVER_BUNDLE } from "../scripts/server-bundle.mjs";
import { Desk } from "../tests/helpers/desk";

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * `entry` bundled for `node` as `npm run build:server` bundles the server (scripts/server-bundle.mjs),
 * into dist/bench/<name>/ once per run; answers the path of its main file. Split like production, so
 * what the server loads only when configured or first used counts in no idle figure.
 */
const compiled = new Map<string, Promise<string>>();
export function compile(entry: string): Promise<string> {
  const known = compiled.get(entry);
  if (known !== undefined) return known;
  const name = path.basename(entry, ".ts");
  const outdir = path.join(ROOT, "dist", "bench", name);
  // Chunk names change with their content: start clean so no stale chunk stays behind.
  fs.rmSync(outdir, { recursive: true, force: true });
  const done = build({
    ...SERVER_BUNDLE,
    entryPoints: { [name]: path.join(ROOT, entry) },
    outdir,
  }).then(() => path.join(outdir, `${name}.js`));
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
