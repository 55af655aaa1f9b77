import fs from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createApp, type LivedeskApp } from "../../server/app";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { freePort } from "../helpers/desk";
import { Reader } from "../helpers/reader";
import { tempDir } from "../helpers/server";

/** STORM_READERS sets the crowd; CI runs the 2,000 the promise names. */
const READERS = Number(process.env.STORM_READERS ?? 2000);

const dir = tempDir();
const file = path.join(dir, "livedesk.db");
let livedesk: LivedeskApp | undefined;
const readers: Reader[] = [];

afterAll(async () => {
  for (const reader of readers) reader.close();
  await livedesk?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(port: number): Promise<LivedeskApp> {
  const app = await createApp(
    { clientDir: path.join(dir, "none") },
    { storage: SqliteStorage.open(file), logger: pino({ level: "silent" }) },
  );
  await app.listen(port, "127.0.0.1");
  return app;
}

function publish(app: LivedeskApp, headline: string) {
  return app.timeline.publish(
    { headline, summary: "", url: null, topics: ["world"], breaking: false, pinned: false, source: null },
    { name: "storm", principal: "storm" },
  );
}

describe(`${READERS} readers reconnecting at once after a restart`, () => {
  it("all resume with no gap and no duplicate, and the server stays up", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    livedesk = await start(port);
    const storage = SqliteStorage.open(file);
    await storage.createTopic({ slug: "world", name: "World" });
    await storage.close();
    for (let i = 0; i < 5; i += 1) await publish(livedesk, `Before ${i}`);

    for (let i = 0; i < READERS; i += 1) readers.push(new Reader(url));
    await Promise.all(readers.map((reader) => reader.waitForSyncs(1, 60_000)));
    expect(readers.every((reader) => reader.seq === 5)).toBe(true);

    await livedesk.close(0);
    livedesk = await start(port);
    // Changes the readers missed while the server was away, and more while they come back.
    for (let i = 0; i < 5; i += 1) await publish(livedesk, `While away ${i}`);
    const during = (async () => {
      for (let i = 0; i < 10; i += 1) {
        await publish(livedesk, `During the storm ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await Promise.all(readers.map((reader) => reader.waitForSyncs(2, 60_000)));
    await during;
    await Promise.all(readers.map((reader) => reader.waitForSeq(20, 60_000)));

    for (const reader of readers) {
      expect(reader.seq).toBe(20);
      expect(reader.follower.view.items).toHaveLength(20);
      expect(new Set(reader.applied).size).toBe(reader.applied.length);
    }
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
  });
});
