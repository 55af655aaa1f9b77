import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { readAtom } from "./atom";

/** A WebSub hub on loopback that records every publish ping and answers as `respond` says. */
class Hub {
  readonly pings: { mode: string | null; url: string | null }[] = [];
  readonly waiting: ServerResponse[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(respond: (res: ServerResponse, hub: Hub) => void): Promise<Hub> {
    let hub: Hub | undefined;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        body += chunk;
      });
      req.on("end", () => {
        if (hub === undefined) return;
        const form = new URLSearchParams(body);
        hub.pings.push({ mode: form.get("hub.mode"), url: form.get("hub.url") });
        respond(res, hub);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = z
      .custom<AddressInfo>((a) => typeof a === "object" && a !== null)
      .parse(server.address());
    hub = new Hub(server, `http://127.0.0.1:${port}/hub`);
    return hub;
  }

  async close(): Promise<void> {
    for (const res of this.waiting) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  respond: (res: ServerResponse, hub: Hub) => void,
): Promise<{ hub: Hub; server: TestServer }> {
  const hub = await Hub.start(respond);
  cleanups.push(() => hub.close());
  const server = await startTestServer({ websubHub: hub.url });
  cleanups.push(() => server.close());
  return { hub, server };
}

async function metric(server: TestServer, result: "ok" | "failed"): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = new RegExp(`livedesk_websub_pings_total\\{result="${result}"\\} (\\d+)`).exec(text);
  return Number(match?.[1] ?? Number.NaN);
}

describe("WebSub", () => {
  it("feeds advertise the hub and themselves; a publish pings the hub for the feeds it changed", async () => {
    const { hub, server } = await setup((res) => {
      res.writeHead(204).end();
    });
    const atom = readAtom(await (await fetch(`${server.url}/feed.atom?topic=sport`)).text());
    expect(atom.links).toEqual(
      expect.arrayContaining([
        { rel: "hub", href: hub.url },
        { rel: "self", href: `${server.url}/feed.atom?topic=sport` },
      ]),
    );
    const json = z
      .object({ feed_url: z.string(), hubs: z.array(z.object({ type: z.string(), url: z.string() })) })
      .parse(await (await fetch(`${server.url}/feed.json`)).json());
    expect(json).toEqual({ feed_url: `${server.url}/feed.json`, hubs: [{ type: "WebSub", url: hub.url }] });

    await publish(server.url, server.editorToken, { headline: "Cup final", topics: ["sport"] });
    const expected = [
      `${server.url}/feed.atom`,
      `${server.url}/feed.atom?topic=sport`,
      `${server.url}/feed.json`,
      `${server.url}/feed.json?topic=sport`,
    ];
    await until(() => hub.pings.length >= expected.length, "the hub's pings");
    expect(hub.pings.map((ping) => ping.mode)).toEqual(expected.map(() => "publish"));
    expect(hub.pings.map((ping) => ping.url).sort()).toEqual(expected);
    await until(async () => (await metric(server, "ok")) === 4, "four pings counted as ok");
    expect(await metric(server, "failed")).toBe(0);
  });

  it("a failing hub is logged and counted, and publishing goes on", async () => {
    const { hub, server } = await setup((res) => {
      res.writeHead(500).end("hub down");
    });
    await fetch(`${server.url}/feed.atom`);
    await publish(server.url, server.editorToken, { headline: "First" });
    await until(async () => (await metric(server, "failed")) === 4, "four pings counted as failed");
    expect(hub.pings).toHaveLength(4);
    const second = await publish(server.url, server.editorToken, { headline: "Second" });
    expect(second.headline).toBe("Second");
  });

  it("a hub that never answers holds no publish up", async () => {
    const { hub, server } = await setup((res, h) => {
      h.waiting.push(res);
    });
    await fetch(`${server.url}/feed.atom`);
    await publish(server.url, server.editorToken, { headline: "First" });
    await until(() => hub.waiting.length === 1, "the first ping to hang");
    // The hub holds the ping open; publishing still answers, every time.
    for (let i = 0; i < 5; i += 1) {
      const item = await publish(server.url, server.editorToken, { headline: `Later ${i}` });
      expect(item.headline).toBe(`Later ${i}`);
    }
    expect(hub.waiting.length).toBe(1);
  });
});
