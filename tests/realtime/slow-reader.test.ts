import fs from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createApp, type LivedeskApp } from "../../server/app";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { Reader } from "../helpers/reader";
import { tempDir } from "../helpers/server";

const CAP = 512 * 1024;
let livedesk: LivedeskApp;
let url: string;
const dir = tempDir();

beforeAll(async () => {
  const storage = SqliteStorage.open(path.join(dir, "livedesk.db"));
  await storage.createTopic({ slug: "world", name: "World" });
  livedesk = await createApp(
    { clientDir: path.join(dir, "none"), socketBufferMaxBytes: CAP },
    { storage, logger: pino({ level: "silent" }) },
  );
  url = `http://127.0.0.1:${(await livedesk.listen(0, "127.0.0.1")).port}`;
});
afterAll(async () => {
  await livedesk.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a reader that stops reading", () => {
  it.each([
    [1, "40"],
    [2, '40{"protocol":2}'],
  ])(
    "is disconnected past the cap in protocol %i, does not hold up the others, and resumes without a gap",
    async (_protocol, connect) => {
      // A raw client that joins and then stops reading from its TCP socket.
      const slow = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
      await new Promise<void>((resolve) => slow.once("message", () => resolve()));
      slow.send(connect);
      await new Promise<void>((resolve) => slow.once("message", () => resolve()));
      const tcp: unknown = Reflect.get(slow, "_socket");
      if (typeof tcp !== "object" || tcp === null || !("pause" in tcp) || typeof tcp.pause !== "function") {
        throw new Error("no TCP socket to pause");
      }
      tcp.pause();

      const brisk = new Reader(url);
      await brisk.waitForSyncs(1);
      const sockets = () => livedesk.io.of("/").sockets.size;
      expect(sockets()).toBe(2);
      const memoryBefore = process.memoryUsage().rss;

      // Up to 25 MB of changes: more than the kernel's socket buffers hold, so the server must buffer.
      let last = 0;
      for (let i = 0; i < 6000 && sockets() === 2; i += 1) {
        const { item } = await livedesk.timeline.publish(
          {
            headline: `Flood ${i}`,
            summary: "x".repeat(4000),
            url: null,
            topics: ["world"],
            breaking: false,
            pinned: false,
            source: null,
          },
          { name: "flood", principal: "flood" },
        );
        last = item.seq;
        // Commits are synchronous: let the event loop send frames and run timers, as real traffic would.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // The server dropped the slow reader, and only it, long before everything was published.
      expect(sockets()).toBe(1);
      // Cut, not closed politely behind what it does not read: its TCP connection is gone too.
      const connections = await new Promise<number>((resolve, reject) =>
        livedesk.httpServer.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
      expect(connections).toBe(1);
      expect(last).toBeLessThan(6000);
      expect(process.memoryUsage().rss - memoryBefore).toBeLessThan(200 * 1024 * 1024);
      slow.terminate();

      await brisk.waitForSeq(last);
      expect(brisk.applied).toEqual(
        Array.from({ length: brisk.applied.length }, (_, i) => (brisk.applied[0] ?? 0) + i),
      );
      expect(brisk.syncs).toBe(1);
      brisk.close();

      // The slow reader comes back and resumes from where it was.
      const back = new Reader(url, { seq: 1, items: [] });
      await back.waitForSeq(last);
      expect(back.seq).toBe(last);
      back.close();
    },
  );
});
