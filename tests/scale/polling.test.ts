import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Desk } from "../helpers/desk";
import { startNginx } from "../helpers/nginx";
import { Reader } from "../helpers/reader";

/*
 * A reader whose own proxy refuses websockets falls back to long-polling, and a long-polling
 * session lives on the node that opened it: nginx (docs/deploy/nginx.conf) must send each of its
 * requests there, while websockets still spread by least_conn.
 */
let desks: Desk[] = [];
let nginx: { url: string; stop: () => Promise<void> };
const readers: Reader[] = [];

beforeAll(async () => {
  desks = await Promise.all([Desk.start(), Desk.start()]);
  nginx = await startNginx(desks.map((desk) => Number(new URL(desk.url).port)));
}, 120_000);

afterAll(async () => {
  for (const reader of readers) reader.close();
  await nginx?.stop();
  await Promise.all(desks.map((desk) => desk.stop()));
});

describe("long-polling through nginx in front of several nodes", () => {
  it("keeps a polling reader on the node of its session: it syncs, stays connected and gets changes", async () => {
    const reader = new Reader(nginx.url, undefined, "polling");
    readers.push(reader);
    let disconnects = 0;
    reader.socket.on("disconnect", () => {
      disconnects += 1;
    });
    await reader.waitForSyncs(1);
    // Whichever node holds the session, it publishes seq 1 of its own timeline.
    await Promise.all(desks.map((desk) => desk.publish({ headline: "Polling through nginx" })));
    await reader.waitForSeq(1);
    expect(disconnects).toBe(0);
    expect(reader.socket.io.engine.transport.name).toBe("polling");
  });
});
