import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { z } from "zod";
import { itemSchema } from "../../shared/item";
import { call } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { startTestServer, type TestServer } from "../helpers/server";

/** FUZZ_RUNS=2000 npm run test:fuzz for a long run; CI runs the default. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

let server: TestServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  server = await startTestServer();
  process.on("unhandledRejection", onUnhandled);
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await server.close();
});

// Strings that break naive code: control characters, lone surrogates, RTL marks, HTML, huge ones.
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    "\u0000",
    "\uD800",
    "\u202E",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "__proto__",
    "constructor",
    "%00",
    "x".repeat(5000),
  ),
);
const value = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty),
  fc.object(),
);
const body = fc.oneof(
  fc.dictionary(
    fc.oneof(nasty, fc.constantFrom("headline", "topics", "summary", "url", "__proto__", "version")),
    value,
  ),
  value,
  fc.record(
    { headline: nasty, topics: fc.array(nasty), summary: nasty, url: nasty, source: nasty },
    { requiredKeys: [] },
  ),
);

describe("hostile HTTP input", () => {
  it("answers random bodies with 201 or a 4xx, never a 5xx, and stores only valid items", async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom("POST /api/items", "PATCH /api/items/x", "POST /api/session"),
        async (input, route) => {
          const [method = "POST", pathname = "/"] = route.split(" ");
          const answer = await call(server.url, method, pathname, {
            token: server.editorToken,
            body: JSON.stringify(input),
          });
          expect(answer.status === 201 || (answer.status >= 400 && answer.status < 500)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
    const stored = z
      .object({ items: z.array(itemSchema) })
      .parse((await call(server.url, "GET", "/api/items?status=all&limit=200")).body).items;
    for (const item of stored) {
      expect(item.headline.length).toBeGreaterThan(0);
      expect(item.headline).not.toMatch(/\p{Cc}/u);
      expect(item.url === null || /^https?:\/\//.test(item.url)).toBe(true);
    }
  });

  it("answers random queries with 200 or 400", async () => {
    const key = fc.constantFrom("topic", "q", "before", "limit", "status", "__proto__", "topic[]", "q[x]");
    // Raw pieces a browser would never send: broken percent-escapes, bare separators.
    const raw = fc.constantFrom("", "&q=%E0%A4%A", "&topic=%", "&limit=%FF", "&&=&", "&q=%00");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, nasty), { maxLength: 6 }), raw, async (pairs, tail) => {
        const query = `${new URLSearchParams(pairs).toString()}${tail}`;
        const answer = await call(server.url, "GET", `/api/items?${query}`);
        expect([200, 400]).toContain(answer.status);
      }),
      { numRuns: RUNS },
    );
    expect(unhandled).toEqual([]);
  });
});

/** Opens a raw Engine.IO websocket and joins the default namespace, as socket.io-client would. */
function rawEngineSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
    ws.once("error", reject);
    ws.once("message", () => {
      ws.send("40");
      resolve(ws);
    });
  });
}

describe("hostile Socket.IO frames", () => {
  it("survives malformed, oversized, binary and unknown frames, and keeps serving readers", async () => {
    const frame = fc.oneof(
      nasty,
      value.map((v) => `42${JSON.stringify(["timeline:sync", v])}`),
      value.map((v) => `42${JSON.stringify(["panel:editing", v])}`),
      value.map((v) => `421${JSON.stringify(["timeline:sync", v])}`),
      fc.tuple(nasty, value).map(([event, v]) => `42${JSON.stringify([event, v])}`),
      fc.constantFrom(
        "4",
        "42",
        "42[",
        '451-["timeline:sync",{"_placeholder":true,"num":0}]',
        "2",
        "3",
        "6",
        "1",
      ),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      fc.constant(`42${JSON.stringify(["timeline:sync", { since: 1, pad: "x".repeat(40_000) }])}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), async (frames) => {
        const ws = await rawEngineSocket(server.url);
        const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
        for (const f of frames) ws.send(f);
        ws.close();
        await closed;
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
    expect((await call(server.url, "GET", "/healthz")).status).toBe(200);
    const reader = new Reader(server.url);
    try {
      await reader.waitForSyncs(1);
    } finally {
      reader.close();
    }
    expect(unhandled).toEqual([]);
  });
});
