import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoWire } from "../../server/demo/wire";
import { itemPageSchema } from "../../shared/item";
import { DEMO_SOURCE } from "../../shared/limits";
import { call } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("the demo wire", () => {
  it("creates its topics and publishes labelled sample items on an interval, live to readers", async () => {
    const reader = new Reader(server.url);
    await reader.waitForSyncs(1);
    const stop = await startDemoWire(
      server.storage,
      server.livedesk.timeline,
      pino({ level: "silent" }),
      100,
    );
    try {
      await reader.waitForSeq(3);
    } finally {
      stop();
      reader.close();
    }
    const items = itemPageSchema.parse((await call(server.url, "GET", "/api/items")).body).items;
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.every((item) => item.source === DEMO_SOURCE && item.author === "demo")).toBe(true);
    expect(new Set(items.map((item) => item.headline)).size).toBe(items.length);
    const topics = (await call(server.url, "GET", "/api/topics")).body;
    expect(topics).toContainEqual({ slug: "weather", name: "Weather" });
  });
});
