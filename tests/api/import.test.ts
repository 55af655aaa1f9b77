import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { StorageError } from "../../server/storage/errors";
import { IMPORT_TEXT_MAX, importResultSchema } from "../../shared/import";
import { itemPageSchema } from "../../shared/item";
import { type Answer, call, errorOf } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { startTestServer, type TestServer } from "../helpers/server";

/* POST /api/import against the real server, with the seed's text kept in tests/fixtures. */

const seed = fs.readFileSync(path.resolve(import.meta.dirname, "..", "fixtures", "latest-news.txt"), "utf8");
const seedLines = seed.split("\n").filter((line) => line.trim() !== "");
/** The seed's headlines as written, first block first (its first line is the page's title). */
const seedHeadlines = seedLines.slice(1).filter((_, i) => i % 2 === 0);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Posts an import with the editor's token, or `token`, or none when `token` is null. */
function importText(body: unknown, token: string | null = server.editorToken): Promise<Answer> {
  return call(server.url, "POST", "/api/import", token === null ? { body } : { token, body });
}

async function imported(
  body: unknown,
  token: string = server.editorToken,
): Promise<z.infer<typeof importResultSchema>> {
  const answer = await importText(body, token);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return importResultSchema.parse(answer.body);
}

/** The timeline as a reader's first page shows it, newest first. */
async function timeline() {
  const answer = await call(server.url, "GET", "/api/items?limit=200");
  expect(answer.status).toBe(200);
  return itemPageSchema.parse(answer.body).items;
}

describe("POST /api/import", () => {
  it("imports the seed as 20 items in its order, first block newest, with the topics given", async () => {
    const reader = new Reader(server.url);
    try {
      await reader.waitForSyncs(1);
      expect(await imported({ text: seed, topics: ["world", "politics"] })).toEqual({
        created: 20,
        skipped: 0,
      });
      // A reader watching live gets them as they are committed, oldest first, and shows the page's order.
      await reader.waitForSeq(20);
      expect(reader.applied).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(reader.follower.view.items.map((item) => item.headline)).toEqual(seedHeadlines);
    } finally {
      reader.close();
    }
    const items = await timeline();
    expect(items.map((item) => item.headline)).toEqual(seedHeadlines);
    expect(items.every((item) => item.topics.join() === "world,politics")).toBe(true);
    expect(items.map((item) => item.headline)).not.toContain("Latest news");
    expect(items[0]?.summary).toBe(
      "On September 27, Azerbaijan launched active hostilities along the Artsakh-Azerbaijani line of contact and in the direction of peaceful settlements of Artsakh.",
    );
    expect(items[0]?.author).toBe("test wire");
  });

  it("creates nothing when the same text comes again: from anyone, with other topics, after keys are forgotten", async () => {
    expect(await imported({ text: seed, topics: ["world"] })).toEqual({ created: 0, skipped: 20 });
    expect(await imported({ text: seed, topics: ["sport"] }, server.adminToken)).toEqual({
      created: 0,
      skipped: 20,
    });
    // The hourly clean-up of idempotency keys must not make an old import new again.
    await server.storage.forgetIdempotencyKeys(new Date(Date.now() + 48 * 60 * 60 * 1000));
    expect(await imported({ text: seed, topics: ["world"] })).toEqual({ created: 0, skipped: 20 });
    expect(await timeline()).toHaveLength(20);
  });

  it("adds only the new block of an updated page, on top", async () => {
    const [title, ...rest] = seed.split("\n\n");
    const updated = [
      title,
      "Ceasefire talks resume in Geneva",
      "Delegations met again on Friday.",
      ...rest,
    ].join("\n\n");
    expect(await imported({ text: updated, topics: ["world"] })).toEqual({ created: 1, skipped: 20 });
    const items = await timeline();
    expect(items).toHaveLength(21);
    expect(items[0]?.headline).toBe("Ceasefire talks resume in Geneva");
    expect(items.slice(1).map((item) => item.headline)).toEqual(seedHeadlines);
  });

  it("after the storage fails part way, the same call again adds only what is missing", async () => {
    const text = ["Outage one", "S1", "Outage two", "S2", "Outage three", "S3", "Outage four", "S4"].join(
      "\n\n",
    );
    const storage = server.storage;
    const commit = storage.commit.bind(storage);
    let commits = 0;
    storage.commit = (request) => {
      commits += 1;
      // The third block's commit finds the storage down: blocks go in oldest first.
      return commits === 3
        ? Promise.reject(new StorageError("unavailable", "test: storage down"))
        : commit(request);
    };
    try {
      const failed = await importText({ text, topics: ["world"] });
      expect(failed.status).toBe(503);
      expect(errorOf(failed).code).toBe("storage_unavailable");
    } finally {
      storage.commit = commit;
    }
    const outage = async () => (await timeline()).filter((item) => item.headline.startsWith("Outage"));
    expect((await outage()).map((item) => item.headline)).toEqual(["Outage three", "Outage four"]);
    expect(await imported({ text, topics: ["world"] })).toEqual({ created: 2, skipped: 2 });
    expect((await outage()).map((item) => item.headline)).toEqual([
      "Outage one",
      "Outage two",
      "Outage three",
      "Outage four",
    ]);
  });

  it("makes each block once when the same page is imported twice at the same moment", async () => {
    const text = Array.from({ length: 10 }, (_, i) => `Race ${i}\n\nBoth calls carry block ${i}.`).join(
      "\n\n",
    );
    const [a, b] = await Promise.all([
      imported({ text, topics: ["world"] }),
      imported({ text, topics: ["sport"] }, server.adminToken),
    ]);
    expect(a.created + b.created).toBe(10);
    expect(a.skipped + b.skipped).toBe(10);
    expect((await timeline()).filter((item) => item.headline.startsWith("Race "))).toHaveLength(10);
  });

  it("refuses a text it cannot read, naming the line, and creates nothing", async () => {
    const before = (await timeline()).length;
    const answer = await importText({
      text: "Latest news\n\nStorm warning\n\nWinds up to 120 km/h.\n\nFerries stop\nAll crossings are cancelled.",
      topics: ["world"],
    });
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.code).toBe("invalid_input");
    expect(error.message).toBe(
      "The text cannot be imported: line 7: a headline or a summary is one line, but this paragraph runs over 2 lines — is a blank line missing after line 7?",
    );
    expect(error.fields?.text).toMatch(/^line 7: /);
    const long = await importText({ text: `A\n\n${"x".repeat(IMPORT_TEXT_MAX)}`, topics: ["world"] });
    expect(errorOf(long).fields).toEqual({
      text: `the text is ${IMPORT_TEXT_MAX + 3} characters long, at most ${IMPORT_TEXT_MAX}`,
    });
    const empty = await importText({ text: "\n\n", topics: ["world"] });
    expect(errorOf(empty).fields).toEqual({ text: "the text is empty" });
    expect((await timeline()).length).toBe(before);
  });

  it("names a missing or unknown topic and a text that is not text", async () => {
    expect(errorOf(await importText({ text: seed })).fields).toEqual({
      topics: expect.stringMatching(/expected array/i),
    });
    const unknown = await importText({ text: "A\n\nB", topics: ["world", "weather"] });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown).fields).toEqual({ "topics.1": 'unknown topic "weather"' });
    expect(errorOf(await importText({ text: 42, topics: ["world"] })).fields).toEqual({
      text: "must be the plain text to import",
    });
    expect(errorOf(await importText({ text: "A\n\nB", topics: ["world"], extra: 1 })).fields).toEqual({
      extra: "is not a known field",
    });
  });

  it("is for editors and admins: 401 without credentials", async () => {
    const answer = await importText({ text: seed, topics: ["world"] }, null);
    expect(answer.status).toBe(401);
    expect(await timeline()).toHaveLength(35);
  });
});
