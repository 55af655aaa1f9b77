import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemPageSchema } from "../../shared/item";
import { call } from "../helpers/http";
import { type ServerProcess, spawnServer } from "../helpers/process";
import { Reader } from "../helpers/reader";
import { tempDir } from "../helpers/server";
import { betterSqlitePrebuilds, copyBuiltTree, copyCheckout, descendants, mtimes, ROOT } from "./tree";

/**
 * `npm start` as an operator runs it: in a copy of this checkout (a fresh clone's files), then in a
 * production install of the built tree (`npm ci --omit=dev`). The copies keep the repository's own
 * dist/ and node_modules out of it.
 */

const run = promisify(execFile);
/** A first start builds the server and the dashboard, which takes a while on a loaded machine. */
const BUILD_MS = 240_000;

let work: string;
let clone: string;
const env = () => ({
  DATABASE_URL: `sqlite:${path.join(work, "livedesk.db")}`,
  LIVEDESK_ADMIN_PASSWORD: "a long enough password",
});

beforeAll(() => {
  work = tempDir();
  clone = path.join(work, "clone");
  copyCheckout(clone);
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(clone, "node_modules"));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Starts `npm <args>` in `cwd` and returns once the server it runs listens. */
function npm(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  return spawnServer({ ...env(), ...extraEnv }, [], {
    command: ["npm", ...args],
    cwd,
    startTimeoutMs: BUILD_MS,
  });
}

/** SIGTERM to npm, which passes it on to the server; resolves when npm and the server are gone. */
async function stop(server: ServerProcess): Promise<void> {
  const pid = server.child.pid;
  if (pid === undefined) throw new Error("npm has no pid");
  const below = descendants(pid);
  server.child.kill("SIGTERM");
  expect(await server.exited).toBe(0);
  expect(below.length).toBeGreaterThan(0);
}

/** The dashboard is served: the page, and the script it loads. */
async function expectDashboard(url: string): Promise<void> {
  const page = await fetch(`${url}/`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const asset = await fetch(`${url}${script}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get("content-type")).toMatch(/javascript/);
}

describe("npm start on a fresh clone", () => {
  it("builds, then serves from compiled JavaScript with node as the only process under npm", async () => {
    const server = await npm(clone, ["start"]);
    try {
      expect(fs.existsSync(path.join(clone, "dist", "server", "main.js"))).toBe(true);
      expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
      await expectDashboard(server.url);
      const pid = server.child.pid;
      if (pid === undefined) throw new Error("npm has no pid");
      // No shell, no tsx, no vite: npm's script replaces its shell with node on the build.
      expect(descendants(pid)).toEqual(["node --enable-source-maps dist/server/main.js"]);
    } finally {
      await stop(server);
    }
  });

  // How fast that start is (under a second) is a figure of `npm run bench:start`, not a timed test.
  it("starts again without building anything and serves", async () => {
    const built = mtimes(path.join(clone, "dist"));
    const server = await npm(clone, ["start"]);
    try {
      expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
      await expectDashboard(server.url);
    } finally {
      await stop(server);
    }
    expect(mtimes(path.join(clone, "dist"))).toEqual(built);
  });

  it("builds again only the part whose sources changed", async () => {
    const before = mtimes(path.join(clone, "dist"));
    const config = path.join(clone, "server", "config.ts");
    fs.appendFileSync(config, "\n// an edit after the last build\n");
    const server = await npm(clone, ["start"]);
    await stop(server);
    const after = mtimes(path.join(clone, "dist"));
    expect(after.get("server/main.js")).toBeGreaterThan(
      before.get("server/main.js") ?? Number.POSITIVE_INFINITY,
    );
    expect(after.get("client/index.html")).toBe(before.get("client/index.html"));
  });

  it("runs the demo wire with npm run demo, live to a reader", async () => {
    const server = await npm(clone, ["run", "demo"], { LIVEDESK_DEMO_INTERVAL_MS: "100" });
    const reader = new Reader(server.url);
    try {
      await reader.waitForSeq(3, 30_000);
      const items = itemPageSchema.parse((await call(server.url, "GET", "/api/items")).body).items;
      expect(items.length).toBeGreaterThanOrEqual(3);
    } finally {
      reader.close();
      await stop(server);
    }
  });
});

describe("a production install of the built tree", () => {
  it("serves after npm ci --omit=dev, with no dev tool installed", async () => {
    const prod = path.join(work, "production");
    copyBuiltTree(clone, prod);
    const built = mtimes(path.join(prod, "dist"));
    await run("npm", ["ci", "--omit=dev", "--offline", "--no-audit", "--no-fund"], {
      cwd: prod,
      env: {
        ...process.env,
        npm_config_better_sqlite3_local_prebuilds: betterSqlitePrebuilds(path.join(work, "prebuilds")),
      },
      timeout: BUILD_MS,
    });
    for (const devTool of ["tsx", "vite", "@vitejs/plugin-react", "esbuild", "typescript"]) {
      expect(fs.existsSync(path.join(prod, "node_modules", devTool))).toBe(false);
    }
    const server = await npm(prod, ["start"]);
    const reader = new Reader(server.url);
    try {
      expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
      await expectDashboard(server.url);
      await reader.waitForSyncs(1);
    } finally {
      reader.close();
      await stop(server);
    }
    expect(mtimes(path.join(prod, "dist"))).toEqual(built);
    // The other programs of the build run on the production install too.
    const renewed = await run("npm", ["run", "--silent", "renew-epoch"], {
      cwd: prod,
      env: { ...process.env, ...env() },
    });
    expect(renewed.stdout).toMatch(/^The timeline's epoch was \w+ and is now \w+\.\n$/);
    const usage = await run(process.execPath, ["dist/server/import.js"], { cwd: prod }).catch(
      (error: unknown) => error,
    );
    expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining("usage: npm run import") });
    expect(mtimes(path.join(prod, "dist"))).toEqual(built);
  });
});
