import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Inspector } from "../../bench/inspect";
import { SERVER_BUNDLE } from "../../scripts/server-bundle.mjs";
import { Desk, freePort } from "../helpers/desk";
import { tempDir } from "../helpers/server";
import { ROOT } from "./tree";

/**
 * Packages a single node on SQLite loads only when first used, or never: an idle node's memory is
 * what a bare Socket.IO server's is held against (docs/benchmarks.md).
 */
const LOADED_LATE = [
  "pg", // PostgreSQL configured
  "ioredis", // Redis configured
  "@socket.io/redis-adapter",
  "sharp", // the first picture
  "feedsmith", // the first wire polled
  "html-to-text",
  "fast-xml-parser", // the first Atom feed
  "web-push", // the first alert sent
];

/** The packages whose files are among `urls` (the innermost node_modules folder names each). */
function packagesOf(urls: string[]): Set<string> {
  const names = new Set<string>();
  for (const url of urls) {
    const last = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].at(-1);
    if (last?.[1] !== undefined) names.add(last[1]);
  }
  return names;
}

let dir: string;
let script: string;
beforeAll(async () => {
  // The server bundled as `npm run build:server` bundles it, in a folder of its own beside this
  // checkout's node_modules, so that neither dist/ nor a benchmark's build is touched.
  dir = tempDir();
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  await build({
    ...SERVER_BUNDLE,
    entryPoints: { main: path.join(ROOT, "server", "main.ts") },
    outdir: path.join(dir, "server"),
  });
  script = path.join(dir, "server", "main.js");
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the compiled server on SQLite alone", () => {
  it("loads PostgreSQL's, Redis's, pictures', wires', Atom's and push's packages only at first use", async () => {
    const inspectPort = await freePort();
    const desk = await Desk.start({ script, nodeArgs: [`--inspect=127.0.0.1:${inspectPort}`] });
    const inspector = await Inspector.connect(inspectPort);
    try {
      const idle = packagesOf(await inspector.loadedScripts());
      expect(idle).toContain("socket.io");
      expect(LOADED_LATE.filter((name) => idle.has(name))).toEqual([]);

      // The first Atom feed loads its XML builder: what is loaded late shows up once it is.
      const feed = await fetch(`${desk.url}/feed.atom`);
      expect(feed.status).toBe(200);
      expect(packagesOf(await inspector.loadedScripts())).toContain("fast-xml-parser");
    } finally {
      inspector.close();
      await desk.stop();
    }
  });
});
