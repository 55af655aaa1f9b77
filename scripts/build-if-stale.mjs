// @ts-check
/**
 * Run by `npm start` and `npm run demo` (and by `npm run renew-epoch`, naming `server`, the only
 * part it needs) before the compiled server: builds what is missing or older than its sources,
 * and nothing else, so a start after the first one goes straight to `node`. Plain JavaScript run by `node`, because it must work before anything is
 * compiled and on a production install, which has no TypeScript tooling.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * Each part of the build: what it makes, what it is made from, the npm script that makes it and
 * the package that script needs (a dev dependency, absent from a production install).
 */
const PARTS = [
  {
    name: "server",
    outputs: ["dist/server/main.js", "dist/server/renew-epoch.js", "dist/server/import.js"],
    sources: [
      "server",
      "shared",
      "scripts/build-server.mjs",
      "scripts/server-bundle.mjs",
      "package.json",
      "package-lock.json",
    ],
    script: "build:server",
    tool: "esbuild",
  },
  {
    name: "dashboard",
    outputs: ["dist/client/index.html"],
    sources: ["client", "shared", "vite.config.ts", "package.json", "package-lock.json"],
    script: "build:client",
    tool: "vite",
  },
];

/**
 * The latest modification time under `entry` (directories count: removing a file changes theirs).
 * @param {string} entry
 * @returns {number}
 */
function newest(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  let latest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  }
  return latest;
}

/**
 * The earliest modification time of the outputs, or undefined when one is missing.
 * @param {string[]} outputs
 * @returns {number | undefined}
 */
function oldest(outputs) {
  let earliest = Number.POSITIVE_INFINITY;
  for (const output of outputs) {
    if (!fs.existsSync(output)) return undefined;
    earliest = Math.min(earliest, fs.statSync(output).mtimeMs);
  }
  return earliest;
}

// The parts named on the command line (`server`, `dashboard`), or all of them.
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!PARTS.some((part) => part.name === name)) {
    process.stderr.write(
      `livedesk: no part of the build is called ${name}; the parts are server and dashboard.\n`,
    );
    process.exit(2);
  }
}
process.chdir(ROOT);
for (const part of PARTS.filter((part) => wanted.length === 0 || wanted.includes(part.name))) {
  const built = oldest(part.outputs);
  if (built !== undefined && built >= Math.max(...part.sources.map(newest))) continue;
  if (!fs.existsSync(path.join("node_modules", part.tool, "package.json"))) {
    // A production install (`npm ci --omit=dev`) cannot build; it serves what was built before.
    if (built === undefined) {
      process.stderr.write(
        `livedesk: the ${part.name} is not built (${part.outputs.join(", ")} missing) and this install has no ${part.tool} to build it.\n` +
          "Run `npm run build` where the dev dependencies are installed (`npm install`), then copy the tree with its dist/ folder.\n",
      );
      process.exit(1);
    }
    process.stderr.write(
      `livedesk: the ${part.name}'s build is older than its sources, and this install has no ${part.tool} to build it again: serving the existing build.\n`,
    );
    continue;
  }
  process.stdout.write(
    `livedesk: building the ${part.name} (${built === undefined ? "not built yet" : "sources changed"})\n`,
  );
  const run = spawnSync("npm", ["run", "--silent", part.script], { stdio: "inherit" });
  if (run.status !== 0) {
    process.stderr.write(`livedesk: building the ${part.name} failed (npm run ${part.script}).\n`);
    process.exit(1);
  }
}
