// @ts-check
/**
 * `npm run build:server`: the server as JavaScript that plain `node` runs, in dist/server/. One
 * bundle per entry point, bundled as scripts/server-bundle.mjs says, with source maps for stack
 * traces (`node --enable-source-maps`). A bundler rather than tsc because the sources import each other
 * without file extensions, which Node's own module loader does not accept.
 */
import fs from "node:fs";
import * as esbuild from "esbuild";
import { SERVER_BUNDLE } from "./server-bundle.mjs";

/**
 * The programs the server ships, by the name of their file in dist/server: the server itself, the
 * epoch renewal run after a restore, and `npm run import` (a newsroom tool for a running server).
 */
const SERVER_ENTRY_POINTS = {
  main: "server/main.ts",
  "renew-epoch": "server/renew-epoch.ts",
  import: "server/import/cli.ts",
};

// Chunk names change with their content: start clean so no stale chunk stays behind.
fs.rmSync("dist/server", { recursive: true, force: true });
await esbuild.build({
  ...SERVER_BUNDLE,
  entryPoints: SERVER_ENTRY_POINTS,
  outdir: "dist/server",
});
