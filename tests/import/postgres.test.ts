import fs from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type LivedeskApp } from "../../server/app";
import { PgStorage } from "../../server/storage/postgres/pg-storage";
import { importResultSchema } from "../../shared/import";
import { itemPageSchema } from "../../shared/item";
import { call } from "../helpers/http";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { tempDir } from "../helpers/server";

/*
 * The import on PostgreSQL, with two nodes on one database: the same page imported on both at
 * once makes each block once, and again later makes nothing.
 */

const seed = fs.readFileSync(path.resolve(import.meta.dirname, "..", "fixtures", "latest-news.txt"), "utf8");

let postgres: PostgresServer;
const nodes: { app: LivedeskApp; url: string; token: string }[] = [];
const dir = tempDir();

beforeAll(async () => {
  postgres = await startPostgres();
  const database = await postgres.createDatabase();
  for (let i = 0; i < 2; i += 1) {
    const storage = await PgStorage.open(database);
    const app = await createApp(
      { clientDir: path.join(dir, "no-client") },
      { storage, logger: pino({ level: "silent" }) },
    );
    const { port } = await app.listen(0, "127.0.0.1");
    const token = (await app.auth.createToken(`node ${i} wire`, "editor")).token;
    if (i === 0) await storage.createTopic({ slug: "karabakh", name: "Karabakh" });
    nodes.push({ app, url: `http://127.0.0.1:${port}`, token });
  }
});
afterAll(async () => {
  await Promise.all(nodes.map((node) => node.app.close()));
  await postgres?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function importOn(node: (typeof nodes)[number]) {
  const answer = await call(node.url, "POST", "/api/import", {
    token: node.token,
    body: { text: seed, topics: ["karabakh"] },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return importResultSchema.parse(answer.body);
}

describe("POST /api/import on PostgreSQL", () => {
  it("makes the seed's 20 items once across two nodes importing it at the same moment, and none later", async () => {
    const [a, b] = nodes;
    if (a === undefined || b === undefined) throw new Error("two nodes expected");
    const [onA, onB] = await Promise.all([importOn(a), importOn(b)]);
    expect(onA.created + onB.created).toBe(20);
    expect(onA.skipped + onB.skipped).toBe(20);
    expect(await importOn(b)).toEqual({ created: 0, skipped: 20 });
    const page = itemPageSchema.parse((await call(a.url, "GET", "/api/items?limit=50")).body);
    expect(page.items).toHaveLength(20);
    expect(page.items[1]?.headline).toBe("Russian airstrikes kill Turkish-backed rebels in Syria");
  });
});
