import fs from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type LivedeskApp } from "../../server/app";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { tempDir } from "../helpers/server";

/*
 * The embed pages and their loader as partner sites fetch them. The client is a stand-in here
 * (the real one, built, is tested in Chromium by tests/e2e/embed.spec.ts): these tests are about
 * what the server answers.
 */

const dir = tempDir();
const clientDir = path.join(dir, "client");
const started: LivedeskApp[] = [];

async function start(frameAncestors: string[]): Promise<string> {
  const storage = SqliteStorage.open(path.join(dir, `livedesk-${started.length}.db`));
  const livedesk = await createApp(
    { clientDir, frameAncestors },
    { storage, logger: pino({ level: "silent" }) },
  );
  started.push(livedesk);
  const { port } = await livedesk.listen(0, "127.0.0.1");
  return `http://127.0.0.1:${port}`;
}

let url: string;

beforeAll(async () => {
  fs.mkdirSync(clientDir, { recursive: true });
  fs.writeFileSync(
    path.join(clientDir, "index.html"),
    '<!doctype html><html lang="en"><head><meta name="description" content="x" /><title>livedesk</title></head><body><div id="root"></div></body></html>',
  );
  fs.writeFileSync(
    path.join(clientDir, "embed.html"),
    '<!doctype html><html lang="en"><head><title>livedesk</title></head><body><div id="embed"></div></body></html>',
  );
  fs.writeFileSync(path.join(clientDir, "embed.js"), "/* the loader */");
  url = await start(["https://partner.example", "https://*.news.example"]);
});
afterAll(async () => {
  for (const livedesk of started) await livedesk.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function frameAncestors(response: Response): string | undefined {
  const csp = response.headers.get("content-security-policy") ?? "";
  return csp
    .split(";")
    .map((directive) => directive.trim())
    .find((directive) => directive.startsWith("frame-ancestors"));
}

describe("embed pages", () => {
  it("may be framed by the sites in LIVEDESK_FRAME_ANCESTORS, and are fetchable from them", async () => {
    for (const page of ["/embed/ticker?topic=world", "/embed/feed?topic=world&limit=5&compact=1"]) {
      const response = await fetch(`${url}${page}`);
      expect(response.status, page).toBe(200);
      expect(frameAncestors(response), page).toBe(
        "frame-ancestors https://partner.example https://*.news.example",
      );
      expect(response.headers.get("cross-origin-resource-policy"), page).toBe("cross-origin");
      expect(response.headers.get("x-frame-options"), page).toBeNull();
    }
  });

  it("keeps every other page unframeable", async () => {
    for (const page of [
      "/",
      "/?topic=world",
      "/admin",
      "/items/nothing",
      "/embed/other",
      "/embed.html",
      "/embedx/ticker",
    ]) {
      const response = await fetch(`${url}${page}`);
      expect(frameAncestors(response), page).toBe("frame-ancestors 'none'");
      expect(response.headers.get("cross-origin-resource-policy"), page).toBe("same-origin");
    }
  });

  it("are unframeable too when no site is allowed", async () => {
    const bare = await start([]);
    const response = await fetch(`${bare}/embed/ticker`);
    expect(response.status).toBe(200);
    expect(frameAncestors(response)).toBe("frame-ancestors 'none'");
  });

  it("are titled by what they show, with the chosen scheme", async () => {
    const ticker = await (await fetch(`${url}/embed/ticker?theme=dark`)).text();
    expect(ticker).toContain("<title>Breaking news — livedesk</title>");
    expect(ticker).toContain('data-theme="dark"');
    const feed = await (await fetch(`${url}/embed/feed`)).text();
    expect(feed).toContain("<title>News feed — livedesk</title>");
    expect(feed).not.toContain("data-theme");
  });

  it("answer bad options with a 400 page naming each one", async () => {
    const response = await fetch(`${url}/embed/feed?topic=No%20Such!&limit=500&theme=pink&compact=maybe`);
    expect(response.status).toBe(400);
    const text = await response.text();
    for (const field of ["topic", "limit", "theme", "compact"])
      expect(text).toContain(`<code>${field}</code>`);
    expect(text).toContain("must be a whole number 1–50");
    expect(text).not.toContain("No Such!");
  });
});

describe("the panel's Embed screen", () => {
  it("is one of the panel's addresses, as is the Import screen beside it in the panel's navigation", async () => {
    for (const screen of ["/admin/embed", "/admin/import"])
      expect((await fetch(`${url}${screen}`)).status, screen).toBe(200);
  });
});

describe("/embed.js", () => {
  it("is served as a script other sites may load, cached for minutes", async () => {
    const response = await fetch(`${url}/embed.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(response.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await response.text()).toBe("/* the loader */");
  });
});
