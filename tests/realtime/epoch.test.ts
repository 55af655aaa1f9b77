import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { syncChangesSchema, syncResetSchema } from "../../shared/events";
import { fingerprintOf, itemPageSchema } from "../../shared/item";
import { Desk } from "../helpers/desk";
import { call, publish } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { startTestServer, type TestServer } from "../helpers/server";

const servers: TestServer[] = [];
const desks: Desk[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(desks.splice(0).map((desk) => desk.stop()));
});

/** A whole server in its own process, which can be stopped and restored from a backup. */
async function desk(): Promise<Desk> {
  const started = await Desk.start();
  desks.push(started);
  return started;
}

async function server(): Promise<TestServer> {
  const started = await startTestServer();
  servers.push(started);
  return started;
}

async function publishMany(on: TestServer, prefix: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i += 1) {
    await publish(on.url, on.editorToken, { headline: `${prefix} story ${i}` });
  }
}

async function page(on: TestServer) {
  return itemPageSchema.parse((await call(on.url, "GET", "/api/items?limit=200")).body);
}

async function rawSocket(url: string): Promise<Socket> {
  const socket = io(url, { transports: ["websocket"], reconnection: false });
  closers.push(() => socket.close());
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

/** A sync answered with changes or a reset; an error answer fails the parse. */
const answerSchema = z.union([syncChangesSchema, syncResetSchema]);

async function sync(socket: Socket, request: unknown) {
  return answerSchema.parse(await socket.emitWithAck("timeline:sync", request));
}

describe("the timeline's epoch", () => {
  it("is in every sync answer and every page, the same for all of them", async () => {
    const desk = await server();
    await publishMany(desk, "Desk", 2);
    const socket = await rawSocket(desk.url);
    const reset = await sync(socket, {});
    const changes = await sync(socket, { since: 1, epoch: reset.epoch });
    expect("changes" in changes && changes.changes.map((c) => c.seq)).toEqual([2]);
    expect(changes.epoch).toBe(reset.epoch);
    expect((await page(desk)).epoch).toBe(reset.epoch);
  });

  it("gives a reader that kept seq N of another database a reset, not that database's changes", async () => {
    const first = await server();
    await publishMany(first, "Lost", 3);
    const kept = new Reader(first.url);
    closers.push(() => kept.close());
    await kept.waitForSeq(3);
    const view = kept.follower.view;
    kept.close();

    // The server now runs on another database, already past the reader's seq.
    const second = await server();
    await publishMany(second, "Current", 6);
    expect((await page(second)).epoch).not.toBe(view.epoch);

    const back = new Reader(second.url, view);
    closers.push(() => back.close());
    await back.waitForSyncs(1);
    await back.waitForSeq(6);
    const headlines = back.follower.view.items.map((item) => item.headline);
    expect(headlines).toEqual((await page(second)).items.map((item) => item.headline));
    expect(headlines.filter((headline) => headline.startsWith("Lost"))).toEqual([]);
    expect(back.applied).toEqual([]);
    expect(back.follower.view.epoch).toBe((await page(second)).epoch);
  });

  it("answers a seq from another epoch with the latest window, and one without an epoch as v1 did", async () => {
    const desk = await server();
    await publishMany(desk, "Desk", 5);
    const socket = await rawSocket(desk.url);
    // Twice each: the first answer may come from storage, the second from the node's memory.
    for (let round = 0; round < 2; round += 1) {
      const foreign = await sync(socket, { since: 2, epoch: "another-database" });
      if (!("reset" in foreign)) throw new Error(`expected a reset, got ${JSON.stringify(foreign)}`);
      expect(foreign.seq).toBe(5);
      expect(foreign.items).toHaveLength(5);
      const garbled = await sync(socket, { since: 2, epoch: 42 });
      expect("reset" in garbled).toBe(true);
      const v1 = await sync(socket, { since: 2 });
      expect("changes" in v1 && v1.changes.map((c) => c.seq)).toEqual([3, 4, 5]);
    }
  });

  it("answers a seq whose change is not the one the reader names with the latest window", async () => {
    const on = await server();
    await publishMany(on, "Desk", 5);
    const socket = await rawSocket(on.url);
    const { epoch } = await sync(socket, {});
    const third = (await page(on)).items.find((item) => item.seq === 3);
    if (third === undefined) throw new Error("no item written at seq 3");
    const named = fingerprintOf(third);
    const same = await sync(socket, { since: 3, epoch, sinceChange: named });
    expect("changes" in same && same.changes.map((c) => c.seq)).toEqual([4, 5]);
    for (const sinceChange of [{ ...named, version: 2 }, { ...named, itemId: "another" }, "garbled"]) {
      const other = await sync(socket, { since: 3, epoch, sinceChange });
      if (!("reset" in other)) throw new Error(`expected a reset, got ${JSON.stringify(other)}`);
      expect(other.seq).toBe(5);
      expect(other.items).toHaveLength(5);
    }
  });

  it("gives a reader that saw seq N a reset after a restore of the backup taken at N-3 and 5 new items, not the new changes at the lost seqs", async () => {
    const restored = await desk();
    const reader = new Reader(restored.url);
    closers.push(() => reader.close());
    for (let i = 1; i <= 4; i += 1) await restored.publish({ headline: `Kept story ${i}` });
    const backup = await restored.backup();
    for (let i = 1; i <= 3; i += 1) await restored.publish({ headline: `Lost story ${i}` });
    await reader.waitForSeq(7);
    const before = reader.follower.view;

    // The reader is away while the server is restored (no renew-epoch) and 5 new items take the
    // lost ones' seqs and two more; then it comes back holding seq 7.
    reader.socket.disconnect();
    await restored.restore(backup);
    for (let i = 1; i <= 5; i += 1) await restored.publish({ headline: `New story ${i}` });
    const current = itemPageSchema.parse(await restored.call("GET", "/api/items?limit=200"));
    expect(current.epoch).toBe(before.epoch);
    expect(current.seq).toBe(9);

    const syncs = reader.syncs;
    reader.socket.connect();
    await reader.waitForSyncs(syncs + 1, 30_000);
    await reader.waitForSeq(9, 30_000);
    const headlines = reader.follower.view.items.map((item) => item.headline);
    expect(headlines).toEqual(current.items.map((item) => item.headline));
    expect(headlines.filter((headline) => headline.startsWith("Lost"))).toEqual([]);
    // Seqs 8 and 9 of the restored database came in the reset, not as changes after seq 7.
    expect(reader.applied.filter((seq) => seq > 7)).toEqual([]);

    // And it follows the restored timeline from there.
    await restored.publish({ headline: "After the restore" });
    await reader.waitForSeq(10, 30_000);
    expect(reader.follower.view.items.map((item) => item.headline)).toContain("After the restore");
  });

  it("gives even a reader from before the backup a reset when the restore ran npm run renew-epoch", async () => {
    const restored = await desk();
    for (let i = 1; i <= 2; i += 1) await restored.publish({ headline: `Kept story ${i}` });
    const backup = await restored.backup();
    const reader = new Reader(restored.url);
    closers.push(() => reader.close());
    await reader.waitForSeq(2);
    const { epoch } = reader.follower.view;
    reader.socket.disconnect();
    await restored.replaceDatabase(backup, { renewEpoch: true });
    await restored.publish({ headline: "New story" });

    const syncs = reader.syncs;
    reader.socket.connect();
    await reader.waitForSyncs(syncs + 1, 30_000);
    await reader.waitForSeq(3, 30_000);
    expect(reader.follower.view.epoch).not.toBe(epoch);
    // Seq 3 came in a reset: the renewed epoch names another timeline, whatever the reader's seq.
    expect(reader.applied).toEqual([]);
    expect(reader.follower.view.items.map((item) => item.headline)).toEqual([
      "New story",
      "Kept story 2",
      "Kept story 1",
    ]);
  });
});
