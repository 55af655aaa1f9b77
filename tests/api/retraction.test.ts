import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/events";
import { type Change, type Item, itemPageSchema, itemSchema } from "../../shared/item";
import { call, errorOf, publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

type ReaderSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const sockets: ReaderSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

/** A reader's socket that records every `timeline:change` it hears. */
async function listen(): Promise<{ socket: ReaderSocket; heard: Change[] }> {
  const socket: ReaderSocket = io(server.url, { transports: ["websocket"] });
  sockets.push(socket);
  const heard: Change[] = [];
  socket.on("timeline:change", (change) => heard.push(change));
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, heard };
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Publishes, edits (headline, summary, link, correction) and returns the item with the words it carried. */
async function storyWithHistory(tag: string) {
  const words = {
    firstHeadline: `Early ${tag} headline`,
    headline: `Bridge ${tag} closed`,
    firstSummary: `Quarrystone${tag} first summary`,
    summary: `Millwheel${tag} second summary`,
    url: `https://example.org/${tag}-story`,
    correction: `Tidewater${tag} correction note`,
  };
  const first = await publish(server.url, server.editorToken, {
    headline: words.firstHeadline,
    summary: words.firstSummary,
    url: words.url,
    source: `Harbourmaster${tag}`,
  });
  const edited = await call(server.url, "PATCH", `/api/items/${first.id}`, {
    token: server.editorToken,
    body: { version: 1, headline: words.headline, summary: words.summary, correction: words.correction },
  });
  expect(edited.status).toBe(200);
  return { item: itemSchema.parse(edited.body), words };
}

/** Every public answer about the timeline after `since`, as one JSON text. */
async function everythingPublic(id: string, since: number): Promise<{ text: string; newcomer: Item[] }> {
  const { socket } = await listen();
  const changes = await socket.emitWithAck("timeline:sync", { since });
  const reset = await socket.emitWithAck("timeline:sync", {});
  if (!("reset" in reset)) throw new Error("a sync without since answered without a reset");
  if (!("changes" in changes)) throw new Error("a sync from a recent seq answered without changes");
  const answers = await Promise.all(
    [
      `/api/items/${id}`,
      `/api/items/${id}/revisions`,
      "/api/items?status=all&limit=200",
      "/api/items?limit=200",
    ].map((path) => call(server.url, "GET", path)),
  );
  for (const answer of answers) expect(answer.status).toBe(200);
  return {
    text: JSON.stringify([answers.map((a) => a.body), changes, reset]),
    newcomer: reset.items.filter((item) => item.id === id),
  };
}

describe("a retraction in every public answer", () => {
  it("leaves only the headline, the reason and the time: no summary, link, correction or earlier version", async () => {
    const { item, words } = await storyWithHistory("plain");
    const since = item.seq - 2;
    const present = await listen();

    const retracted = await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "The bridge was never closed." },
    });
    expect(retracted.status).toBe(200);
    // The operator who retracted gets the whole item back.
    expect(retracted.body).toMatchObject({ status: "retracted", summary: words.summary });
    const retraction = itemSchema.parse(retracted.body);
    await until(() => present.heard.some((c) => c.item.id === item.id), "the live retraction");

    const { text, newcomer } = await everythingPublic(item.id, since);
    const live = JSON.stringify(present.heard);
    for (const hidden of [
      words.firstHeadline,
      words.firstSummary,
      words.summary,
      words.url,
      words.correction,
    ]) {
      expect(text).not.toContain(hidden);
      expect(live).not.toContain(hidden);
    }
    // A newcomer's window carries the same tombstone a present reader was sent.
    const tombstone = {
      id: item.id,
      status: "retracted",
      headline: words.headline,
      summary: "",
      url: null,
      correction: null,
      retractionReason: "The bridge was never closed.",
      updatedAt: retraction.updatedAt,
    };
    expect(newcomer).toEqual([expect.objectContaining(tombstone)]);
    expect(present.heard.at(-1)?.item).toEqual(newcomer[0]);
    const page = await call(server.url, "GET", `/api/items/${item.id}`);
    expect(page.body).toEqual(newcomer[0]);
  });

  it("hides the summary from a search: a retracted item is found only by what its tombstone shows", async () => {
    const { item, words } = await storyWithHistory("search");
    await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Wrong." },
    });
    const search = async (q: string) =>
      itemPageSchema
        .parse((await call(server.url, "GET", `/api/items?status=all&q=${encodeURIComponent(q)}`)).body)
        .items.map((found) => found.id);
    expect(await search(words.summary.split(" ")[0] ?? "")).toEqual([]);
    expect(await search(words.headline)).toEqual([item.id]);
  });
});

describe("a legal kill", () => {
  it("withdraws the headline too: the public sees only “Withdrawn” and the reason", async () => {
    const { item, words } = await storyWithHistory("killed");
    const since = item.seq - 2;
    const present = await listen();

    const killed = await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Withdrawn on legal advice.", withdrawHeadline: true },
    });
    expect(killed.status).toBe(200);
    expect(killed.body).toMatchObject({ headline: words.headline, withdrawn: true });
    await until(() => present.heard.some((c) => c.item.id === item.id), "the live legal kill");

    const { text, newcomer } = await everythingPublic(item.id, since);
    const live = JSON.stringify(present.heard);
    for (const hidden of [...Object.values(words), `Harbourmaster${"killed"}`]) {
      expect(text).not.toContain(hidden);
      expect(live).not.toContain(hidden);
    }
    expect(newcomer).toEqual([
      expect.objectContaining({
        headline: "Withdrawn",
        withdrawn: true,
        status: "retracted",
        summary: "",
        source: null,
        retractionReason: "Withdrawn on legal advice.",
      }),
    ]);
    const revisions = z
      .object({ revisions: z.array(itemSchema) })
      .parse((await call(server.url, "GET", `/api/items/${item.id}/revisions`)).body).revisions;
    expect(revisions.map((r) => [r.version, r.headline])).toEqual([
      [1, "Withdrawn"],
      [2, "Withdrawn"],
      [3, "Withdrawn"],
    ]);
  });

  it("refuses withdrawHeadline that is not a boolean, naming the field", async () => {
    const item = await publish(server.url, server.editorToken);
    const answer = await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Wrong.", withdrawHeadline: "yes" },
    });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).fields?.withdrawHeadline).toMatch(/boolean/);
  });
});

describe("?view=full", () => {
  it("shows an operator everything stored, every version, and nobody else", async () => {
    const { item, words } = await storyWithHistory("full");
    await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Gone.", withdrawHeadline: true },
    });
    const asEditor = (path: string) => call(server.url, "GET", path, { token: server.editorToken });
    const full = await asEditor(`/api/items/${item.id}?view=full`);
    expect(full.status).toBe(200);
    expect(full.headers.get("cache-control")).toBe("private, no-store");
    expect(full.body).toMatchObject({ headline: words.headline, summary: words.summary, withdrawn: true });
    const history = JSON.stringify((await asEditor(`/api/items/${item.id}/revisions?view=full`)).body);
    for (const kept of [words.firstHeadline, words.firstSummary, words.correction])
      expect(history).toContain(kept);
    const list = JSON.stringify((await asEditor("/api/items?status=all&view=full&limit=200")).body);
    expect(list).toContain(words.summary);

    // The same token without asking, or anyone asking without credentials, gets the public view.
    expect((await asEditor(`/api/items/${item.id}`)).body).toMatchObject({
      headline: "Withdrawn",
      summary: "",
    });
    expect((await call(server.url, "GET", `/api/items/${item.id}?view=full`)).status).toBe(401);
    const bad = await call(server.url, "GET", `/api/items/${item.id}?view=everything`);
    expect(bad.status).toBe(400);
    expect(Object.keys(errorOf(bad).fields ?? {})).toEqual(["view"]);
  });
});
