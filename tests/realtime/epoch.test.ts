import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { syncChangesSchema, syncResetSchema } from "../../shared/events";
import { itemPageSchema } from "../../shared/item";
import { call, publish } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { startTestServer, type TestServer } from "../helpers/server";

const servers: TestServer[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

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
});
