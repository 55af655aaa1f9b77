import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { presenceSchema, syncAckSchema } from "../../shared/events";
import { itemPageSchema } from "../../shared/item";
import { SYNC_MAX_CHANGES } from "../../shared/limits";
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

function reader(): Reader {
  const r = new Reader(server.url);
  readers.push(r);
  return r;
}

async function sync(socket: Socket, request: unknown) {
  return syncAckSchema.parse(await socket.emitWithAck("timeline:sync", request));
}

/** A bare socket.io-client, untyped so that tests can send what a hostile client would. */
async function rawSocket(auth: Record<string, unknown> = {}): Promise<Socket> {
  const socket = io(server.url, {
    transports: ["websocket"],
    reconnection: false,
    auth,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

async function latestSeq(): Promise<number> {
  return itemPageSchema.parse((await call(server.url, "GET", "/api/items?limit=1&status=all")).body).seq;
}

describe("timeline:change", () => {
  it("reaches 200 readers, every change exactly once and in seq order", async () => {
    const crowd = Array.from({ length: 200 }, () => reader());
    await Promise.all(crowd.map((r) => r.waitForSyncs(1)));
    const start = await latestSeq();

    const items = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        publish(server.url, server.editorToken, { headline: `Crowd ${i}` }),
      ),
    );
    for (const item of items.slice(0, 5)) {
      await call(server.url, "PATCH", `/api/items/${item.id}`, {
        token: server.editorToken,
        body: { version: 1, summary: "More detail" },
      });
    }
    const last = items[9];
    if (last === undefined) throw new Error("no item");
    await call(server.url, "POST", `/api/items/${last.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Wrong" },
    });
    const end = await latestSeq();
    expect(end - start).toBe(16);

    await Promise.all(crowd.map((r) => r.waitForSeq(end)));
    const expected = Array.from({ length: 16 }, (_, i) => start + i + 1);
    for (const r of crowd) {
      expect(r.applied).toEqual(expected);
      expect(r.syncs).toBe(1);
      const seen = r.follower.view.items.find((item) => item.id === last.id);
      expect(seen?.status).toBe("retracted");
    }
  });
});

describe("timeline:sync", () => {
  it("sends changes committed together to websocket and long-polling readers alike, once each and in order", async () => {
    const onWebsocket = reader();
    const onPolling = new Reader(server.url, undefined, "polling");
    readers.push(onPolling);
    await Promise.all([onWebsocket.waitForSyncs(1), onPolling.waitForSyncs(1)]);
    const start = await latestSeq();

    // Published in one turn of the event loop, they share one group commit and go out as one batch.
    const wire = { name: "wire", principal: "token:wire" };
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        server.livedesk.timeline.publish(
          createItemSchema.parse({ headline: `Batch ${i}`, topics: ["world"] }),
          wire,
        ),
      ),
    );
    const end = start + 60;
    await Promise.all([onWebsocket.waitForSeq(end), onPolling.waitForSeq(end)]);
    const expected = Array.from({ length: 60 }, (_, i) => start + i + 1);
    expect(onWebsocket.applied).toEqual(expected);
    expect(onPolling.applied).toEqual(expected);
    expect(onPolling.follower.view.items.filter((item) => item.headline.startsWith("Batch"))).toHaveLength(
      60,
    );
  });

  it("gives a reconnecting reader exactly what it missed: creates, edits and a retraction", async () => {
    const kept = await publish(server.url, server.editorToken, { headline: "Before the gap" });
    const socket = await rawSocket();
    const since = await latestSeq();

    const created = await publish(server.url, server.editorToken, { headline: "During the gap" });
    await call(server.url, "PATCH", `/api/items/${kept.id}`, {
      token: server.editorToken,
      body: { version: 1, headline: "Before the gap, corrected", correction: "Name fixed." },
    });
    await call(server.url, "POST", `/api/items/${created.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Duplicate story" },
    });

    const answer = await sync(socket, { since });
    if (!("changes" in answer)) throw new Error(`expected changes, got ${JSON.stringify(answer)}`);
    expect(answer.changes.map((c) => [c.seq, c.kind, c.item.id])).toEqual([
      [since + 1, "created", created.id],
      [since + 2, "updated", kept.id],
      [since + 3, "retracted", created.id],
    ]);
    expect(answer.seq).toBe(since + 3);
    expect(answer.changes[1]?.item.correction).toBe("Name fixed.");

    const nothingNew = await sync(socket, { since: answer.seq });
    expect(nothingNew).toEqual({ seq: answer.seq, epoch: answer.epoch, changes: [] });
  });

  it("resumes a reader that was offline without a gap or a duplicate", async () => {
    const r = reader();
    await r.waitForSyncs(1);
    const before = r.seq;
    r.socket.disconnect();
    const missed = [];
    for (let i = 0; i < 5; i += 1)
      missed.push(await publish(server.url, server.editorToken, { headline: `Missed ${i}` }));
    r.socket.connect();
    await r.waitForSyncs(2);
    const after = await publish(server.url, server.editorToken, { headline: "After the reconnect" });
    await r.waitForSeq(after.seq);
    expect(r.seq).toBe(before + 6);
    expect(r.applied).toEqual([after.seq]);
    const ids = r.follower.view.items.map((item) => item.id);
    for (const item of [...missed, after]) expect(ids.filter((id) => id === item.id)).toHaveLength(1);
  });

  it("answers a reset with the latest window when since is missing, not a number, ahead or too old", async () => {
    const pinned = await publish(server.url, server.editorToken, {
      headline: "Pinned long ago",
      pinned: true,
      publishedAt: "2019-01-01T00:00:00Z",
    });
    const socket = await rawSocket();
    const latest = await latestSeq();
    for (const request of [
      {},
      { since: "12" },
      { since: Number.NaN },
      { since: -1 },
      { since: 1.5 },
      { since: latest + 10 },
    ]) {
      const answer = await sync(socket, request);
      if (!("reset" in answer)) throw new Error(`expected a reset for ${JSON.stringify(request)}`);
      expect(answer.seq).toBeGreaterThanOrEqual(latest);
      expect(answer.items.length).toBeGreaterThan(0);
      // Retracted items come as tombstones (see tests/api/retraction.test.ts), without their text.
      const tombstones = answer.items.filter((item) => item.status === "retracted");
      expect(tombstones.every((item) => item.summary === "" && item.url === null)).toBe(true);
      expect(answer.items.map((item) => item.id)).toContain(pinned.id);
    }

    for (let i = 0; i <= SYNC_MAX_CHANGES; i += 1) {
      await server.livedesk.timeline.publish(
        {
          headline: `Bulk ${i}`,
          summary: "",
          url: null,
          topics: ["sport"],
          breaking: false,
          pinned: false,
          source: null,
        },
        { name: "bulk", principal: "bulk" },
      );
    }
    const tooOld = await sync(socket, { since: latest });
    expect("reset" in tooOld).toBe(true);
  });

  it("answers malformed payloads with an error ack and keeps serving", async () => {
    const socket = await rawSocket();
    for (const bad of ["hello", 42, [1, 2], true]) {
      const answer: unknown = await socket.emitWithAck("timeline:sync", bad);
      expect(answer).toMatchObject({ error: { code: "invalid_input" } });
    }
    // No ack function, unknown events and binary attachments are ignored.
    socket.emit("timeline:sync", { since: 1 });
    socket.emit("no-such-event", { x: 1 });
    socket.emit("timeline:sync", Buffer.from([1, 2, 3]), () => {});
    const fine = await sync(socket, {});
    expect("reset" in fine).toBe(true);
    expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
  });

  it("disconnects a client that sends an oversized message, and only that client", async () => {
    const bystander = await rawSocket();
    const socket = await rawSocket();
    const closed = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    socket.emit("timeline:sync", { since: 1, padding: "x".repeat(100_000) });
    expect(await closed).toBe("transport close");
    const answer = await sync(bystander, {});
    expect("reset" in answer).toBe(true);
  });
});

describe("presence", () => {
  it("tells readers how many are connected", async () => {
    const first = await rawSocket();
    const counts: number[] = [];
    first.on("presence", (presence: unknown) => counts.push(presenceSchema.parse(presence).viewers));
    await rawSocket();
    await rawSocket();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`presence never said 3, only ${counts.join(",")}`)),
        5000,
      );
      first.on("presence", (presence: unknown) => {
        if (presenceSchema.parse(presence).viewers === 3) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(counts.at(-1)).toBe(3);
  });

  it("counts readers, not operators' panel tabs", async () => {
    // Listening before it connects: the count it is told on connect is the first one.
    const first = io(server.url, {
      transports: ["websocket"],
      reconnection: false,
      auth: { surface: "reader" },
    });
    sockets.push(first);
    const counts: number[] = [];
    first.on("presence", (presence: unknown) => counts.push(presenceSchema.parse(presence).viewers));
    await new Promise<void>((resolve) => first.once("connect", () => resolve()));
    /** Waits until the last count `first` heard is `viewers`. */
    const heard = async (viewers: number) => {
      const deadline = Date.now() + 5000;
      while (counts.at(-1) !== viewers) {
        if (Date.now() > deadline)
          throw new Error(`presence never said ${viewers}, only ${counts.join(",")}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const panelTab = await rawSocket({ surface: "panel" });
    await rawSocket({ surface: "panel" });
    // A v1 client says nothing, and a handshake it cannot read is a reader's too.
    const v1 = await rawSocket();
    await rawSocket({ surface: 42 });
    await heard(3);
    v1.close();
    await heard(2);
    // A panel tab leaving changes nothing for readers; a reader joining does.
    panelTab.close();
    await rawSocket();
    await heard(3);
    expect(counts).not.toContain(4);
  });
});
