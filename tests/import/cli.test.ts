import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemPageSchema } from "../../shared/item";
import { call } from "../helpers/http";
import { startTestServer, type TestServer, tempDir } from "../helpers/server";

/* `npm run import -- FILE --topic SLUG` against a running server, as an operator types it. */

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SEED = path.join(ROOT, "tests", "fixtures", "latest-news.txt");

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = tempDir();
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command through npm with `env` on top of a clean environment (no LIVEDESK_* of ours),
 * with `input` on its standard input.
 */
function npmImport(args: string[], env: Record<string, string>, input = ""): Promise<Outcome> {
  const { LIVEDESK_TOKEN: _token, LIVEDESK_URL: _url, ...inherited } = process.env;
  return new Promise((resolve) => {
    const child = execFile(
      "npm",
      ["run", "--silent", "import", "--", ...args],
      { cwd: ROOT, env: { ...inherited, ...env }, timeout: 60_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode ?? -1, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

async function itemCount(): Promise<number> {
  const answer = await call(server.url, "GET", "/api/items?limit=200");
  return itemPageSchema.parse(answer.body).items.length;
}

describe("npm run import", () => {
  it("imports the seed file as 20 items, then nothing the second time", async () => {
    const env = { LIVEDESK_URL: server.url, LIVEDESK_TOKEN: server.editorToken };
    const first = await npmImport([SEED, "--topic", "world"], env);
    expect(first.stderr).toBe("");
    expect(first.stdout).toBe(`Imported ${SEED}: 20 created, 0 already there.\n`);
    expect(first.code).toBe(0);
    const second = await npmImport([SEED, "--topic", "world", "--topic", "politics"], env);
    expect(second.stdout).toBe(`Imported ${SEED}: 0 created, 20 already there.\n`);
    expect(await itemCount()).toBe(20);
  }, 120_000);

  it("reads the page from standard input when the file is -", async () => {
    const env = { LIVEDESK_URL: server.url, LIVEDESK_TOKEN: server.editorToken };
    const piped = await npmImport(
      ["-", "--topic", "sport"],
      env,
      "Piped headline\n\nIt came through a pipe.\n",
    );
    expect(piped.stdout).toBe("Imported -: 1 created, 0 already there.\n");
    expect(piped.code).toBe(0);
  }, 120_000);

  it("says what is missing: the token, the topic, the file", async () => {
    const noToken = await npmImport([SEED, "--topic", "world"], { LIVEDESK_URL: server.url });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/LIVEDESK_TOKEN is not set/);
    const noTopic = await npmImport([SEED], { LIVEDESK_URL: server.url, LIVEDESK_TOKEN: server.editorToken });
    expect(noTopic.code).toBe(2);
    expect(noTopic.stderr).toMatch(/name at least one topic with --topic SLUG/);
    const missing = path.join(dir, "nowhere.txt");
    const noFile = await npmImport([missing, "--topic", "world"], {
      LIVEDESK_URL: server.url,
      LIVEDESK_TOKEN: server.editorToken,
    });
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(`cannot read ${missing}`);
  }, 120_000);

  it("passes on what the server refuses, naming the field and the line, and a wrong token", async () => {
    const env = { LIVEDESK_URL: server.url, LIVEDESK_TOKEN: server.editorToken };
    const file = path.join(dir, "broken.txt");
    fs.writeFileSync(
      file,
      "Storm warning\n\nWinds up to 120 km/h.\n\nFerries stop\nAll crossings are cancelled.\n",
    );
    const broken = await npmImport([file, "--topic", "world"], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/livedesk refused the import \(400\)/);
    expect(broken.stderr).toMatch(/text: line 5: .*is a blank line missing after line 5\?/);
    const unknownTopic = await npmImport([SEED, "--topic", "weather"], env);
    expect(unknownTopic.stderr).toMatch(/topics\.0: unknown topic "weather"/);
    const wrongToken = await npmImport([SEED, "--topic", "world"], { ...env, LIVEDESK_TOKEN: "ldk_wrong" });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/livedesk refused the import \(401\)/);
    expect(await itemCount()).toBe(21);
  }, 120_000);
});
