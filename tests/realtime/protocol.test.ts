import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { changesEventSchema, type ProtocolVersion } from "../../shared/events";
import { type Change, changeSchema, itemPageSchema } from "../../shared/item";
import { CHANGES_PER_EVENT_MAX } from "../../shared/limits";
import { createItemSchema } from "../../shared/requests";
import { call, publish } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
const readers: Reader[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
  for (const socket of sockets.splice(0)) socket.close();
});
afterAll(async () => {
  await server.close();
});

function reader(protocol: ProtocolVersion): Reader {
  const r = new Reader(server.url, undefined, "websocket", protocol);
  readers.push(r);
  return r;
}

/** What a bare client hears live, the way a client of any release would listen. */
interface Heard {
  socket: Socket;
  /** Each `timeline:change` event's payload. */
  change: unknown[];
  /** Each `timeline:changes` event's payload. */
  changes: unknown[];
}

async function listen(auth: unknown): Promise<Heard> {
  const socket = io(server.url, {
    transports: ["websocket"],
    reconnection: false,
    ...(auth === undefined ? {} : { auth: { protocol: auth } }),
  });
  sockets.push(socket);
  const heard: Heard = { socket, change: [], changes: [] };
  socket.on("timeline:change", (payload: unknown) => heard.change.push(payload));
  socket.on("timeline:changes", (payload: unknown) => heard.changes.push(payload));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return heard;
}

async function latestSeq(): Promise<number> {
  return itemPageSchema.parse((await call(server.url, "GET", "/api/items?limit=1&status=all")).body).seq;
}

/** Publishes `count` items in one turn of the event loop: they share one group commit. */
async function publishBatch(count: number, prefix: string): Promise<void> {
  const wire = { name: "wire", principal: "token:wire" };
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      server.livedesk.timeline.publish(
        createItemSchema.parse({ headline: `${prefix} ${i}`, topics: ["world"] }),
        wire,
      ),
    ),
  );
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const seqsOf = (changes: readonly Change[]) => changes.map((change) => change.seq);
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe("protocol 1 and protocol 2 side by side", () => {
  it("gives a protocol 2 reader each commit batch as one timeline:changes, and a protocol 1 reader each change as one timeline:change", async () => {
    const v1 = await listen(undefined);
    const v2 = await listen(2);
    const start = await latestSeq();

    await publishBatch(30, "Side by side");
    const single = await publish(server.url, server.editorToken, { headline: "On its own" });
    expect(single.seq).toBe(start + 31);
    await until(() => v1.change.length === 31, "protocol 1 to hear 31 changes");
    await until(() => v2.changes.flat().length === 31, "protocol 2 to hear 31 changes");

    // Protocol 1, exactly as the first release: one change per event, nothing else.
    const v1Changes = v1.change.map((payload) => changeSchema.parse(payload));
    expect(seqsOf(v1Changes)).toEqual(range(start + 1, 31));
    expect(v1.changes).toEqual([]);
    // Protocol 2: arrays, the group commit as one event (two when it was split by the storage),
    // the single publish as an event of its own; the same changes, in the same order.
    const batches = v2.changes.map((payload) => changesEventSchema.parse(payload));
    expect(v2.change).toEqual([]);
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(batches.at(-1)?.map((change) => change.seq)).toEqual([single.seq]);
    expect(batches.flat()).toEqual(v1Changes);
  });

  it("splits a batch longer than the event limit into events of at most that many changes", async () => {
    const v2 = await listen(2);
    const start = await latestSeq();
    const count = CHANGES_PER_EVENT_MAX + 20;
    await publishBatch(count, "Long batch");
    await until(() => v2.changes.flat().length === count, `protocol 2 to hear ${count} changes`);
    const batches = v2.changes.map((payload) => changesEventSchema.parse(payload));
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(CHANGES_PER_EVENT_MAX);
    expect(seqsOf(batches.flat())).toEqual(range(start + 1, count));
  });

  it("serves protocol 1 to a handshake that asks for none or for something it cannot read, and 2 to a newer one", async () => {
    const asked: unknown[] = ["2", 1, 2.5, -2, 0, null, { version: 2 }, Number.NaN, [2]];
    const v1s = await Promise.all(asked.map((protocol) => listen(protocol)));
    const newer = await listen(3);
    await publish(server.url, server.editorToken, { headline: "Who hears what" });
    await until(() => v1s.every((heard) => heard.change.length === 1), "every protocol 1 socket");
    await until(() => newer.changes.length === 1, "the newer client");
    for (const heard of v1s) expect(heard.changes).toEqual([]);
    expect(newer.change).toEqual([]);
    expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
  });

  it("shows both protocols a retraction only as its tombstone", async () => {
    const item = await publish(server.url, server.editorToken, { headline: "To be withdrawn" });
    const v1 = await listen(undefined);
    const v2 = await listen(2);
    await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Could not be confirmed" },
    });
    await until(() => v1.change.length === 1 && v2.changes.length === 1, "the retraction");
    const [fromV1] = v1.change.map((payload) => changeSchema.parse(payload));
    const [fromV2] = v2.changes.flatMap((payload) => changesEventSchema.parse(payload));
    for (const change of [fromV1, fromV2]) {
      expect(change).toMatchObject({ kind: "retracted", item: { id: item.id, summary: "", url: null } });
    }
    expect(fromV2).toEqual(fromV1);
  });

  it("follows the timeline exactly once for readers of both protocols, across a reconnect, without a gap", async () => {
    const v1 = reader(1);
    const v2 = reader(2);
    await Promise.all([v1.waitForSyncs(1), v2.waitForSyncs(1)]);
    const start = await latestSeq();

    await publishBatch(20, "Before the drop");
    await Promise.all([v1.waitForSeq(start + 20), v2.waitForSeq(start + 20)]);

    // Both lose their connection; batches and single changes go on without them.
    v1.socket.disconnect();
    v2.socket.disconnect();
    await publishBatch(15, "While away");
    await publish(server.url, server.editorToken, { headline: "Also while away" });
    v1.socket.connect();
    v2.socket.connect();
    await Promise.all([v1.waitForSyncs(2), v2.waitForSyncs(2)]);

    await publishBatch(25, "After the return");
    const end = start + 20 + 16 + 25;
    await Promise.all([v1.waitForSeq(end), v2.waitForSeq(end)]);

    for (const r of [v1, v2]) {
      // Live: what came before the drop and after the return; the sync brought the rest.
      expect(r.applied).toEqual([...range(start + 1, 20), ...range(start + 37, 25)]);
      expect(r.syncs).toBe(2);
      expect(r.syncErrors).toBe(0);
      const headlines = r.follower.view.items.map((item) => item.headline);
      for (const prefix of ["Before the drop", "While away", "After the return"]) {
        const count = prefix === "While away" ? 15 : prefix === "Before the drop" ? 20 : 25;
        expect(new Set(headlines.filter((h) => h.startsWith(prefix))).size).toBe(count);
      }
      expect(headlines.filter((h) => h === "Also while away")).toHaveLength(1);
    }
    expect(v1.events.changes).toBe(0);
    expect(v1.events.change).toBe(45);
    expect(v2.events.change).toBe(0);
    expect(v2.events.changes).toBeLessThan(45);
    expect(v1.follower.view).toEqual(v2.follower.view);
  });
});
