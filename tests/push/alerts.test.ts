import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertMessageSchema, pushKeySchema } from "../../shared/push";
import { call, errorOf, publish } from "../helpers/http";
import { type PushService, startPushService, type TestSubscription } from "../helpers/push-service";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let service: PushService;

beforeAll(async () => {
  service = await startPushService();
  server = await startTestServer({ push: { insecureEndpoints: true, sender: { retryBaseMs: 50 } } });
});
afterAll(async () => {
  await server.close();
  await service.close();
});

function subscribe(subscription: TestSubscription, topics: string[], minUrgency = 3) {
  return call(server.url, "POST", "/api/push/subscriptions", {
    body: { subscription: { endpoint: subscription.endpoint, keys: subscription.keys }, topics, minUrgency },
  });
}

/** Messages the push service accepted for one subscription, decrypted. */
function messagesTo(subscription: TestSubscription) {
  return service.messages
    .filter((m) => m.endpoint === subscription.endpoint)
    .map((m) => ({ ...m, alert: alertMessageSchema.parse(m.payload) }));
}

async function waitFor<T>(what: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = what();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves once the server has sent (or given up on) every push message it has queued. */
async function settled(): Promise<void> {
  const push = server.livedesk.push;
  if (push === undefined) throw new Error("the test server has no push alerts");
  await push.idle();
}

describe("push alerts", () => {
  it("hands out one VAPID public key, and signs every message with it", async () => {
    const answer = await call(server.url, "GET", "/api/push/key");
    expect(answer.status).toBe(200);
    const { publicKey } = pushKeySchema.parse(answer.body);
    expect(Buffer.from(publicKey, "base64url")).toHaveLength(65);

    const reader = service.subscribe();
    expect((await subscribe(reader, ["world"])).status).toBe(201);
    await publish(server.url, server.editorToken, { headline: "Signed alert", breaking: true });
    const [message] = await waitFor(() => (messagesTo(reader).length > 0 ? messagesTo(reader) : undefined));
    expect(message?.vapidKey).toBe(publicKey);
    expect(message?.claims.aud).toBe(service.url);
  });

  it("sends a breaking item on a subscribed topic, encrypted to the subscription, and nothing else", async () => {
    const reader = service.subscribe();
    expect((await subscribe(reader, ["politics"])).status).toBe(201);
    await publish(server.url, server.editorToken, { headline: "Routine politics", topics: ["politics"] });
    await publish(server.url, server.editorToken, {
      headline: "Breaking sport",
      topics: ["sport"],
      breaking: true,
    });
    const item = await publish(server.url, server.editorToken, {
      headline: "Breaking politics",
      summary: "The vote is in.",
      topics: ["politics"],
      breaking: true,
    });
    await settled();
    const received = messagesTo(reader);
    expect(received.map((m) => m.alert.title)).toEqual(["Breaking politics"]);
    const [message] = received;
    expect(message?.alert).toMatchObject({
      kind: "alert",
      itemId: item.id,
      body: "The vote is in.",
      url: `/items/${item.id}`,
    });
    expect(message?.headers.urgency).toBe("normal");
    expect(Number(message?.headers.ttl)).toBeGreaterThan(0);
    expect(Number(message?.headers.ttl)).toBeLessThanOrEqual(900);
    expect(message?.headers.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("replaces an alert with its correction and then its retraction (same Topic and tag)", async () => {
    const reader = service.subscribe();
    expect((await subscribe(reader, ["sport"])).status).toBe(201);
    const item = await publish(server.url, server.editorToken, {
      headline: "Final score 2-1",
      topics: ["sport"],
      breaking: true,
    });
    await waitFor(() => (messagesTo(reader).length === 1 ? true : undefined));
    const edited = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: item.version, headline: "Final score 3-1", correction: "The score was wrong." },
    });
    expect(edited.status).toBe(200);
    await waitFor(() => (messagesTo(reader).length === 2 ? true : undefined));
    const retracted = await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "The match was replayed." },
    });
    expect(retracted.status).toBe(200);
    await waitFor(() => (messagesTo(reader).length === 3 ? true : undefined));
    const [alert, correction, retraction] = messagesTo(reader);
    expect(correction?.alert).toMatchObject({
      kind: "correction",
      title: "Final score 3-1",
      body: "Correction: The score was wrong.",
    });
    expect(retraction?.alert).toMatchObject({
      kind: "retraction",
      title: "Retracted: Final score 3-1",
      body: "The match was replayed.",
    });
    expect(new Set([alert, correction, retraction].map((m) => m?.headers.topic)).size).toBe(1);
    expect(new Set([alert, correction, retraction].map((m) => m?.alert.tag)).size).toBe(1);
  });

  it("does not alert again for an edit readers cannot see (pinning)", async () => {
    const reader = service.subscribe();
    expect((await subscribe(reader, ["world"])).status).toBe(201);
    const item = await publish(server.url, server.editorToken, { headline: "Pinned later", breaking: true });
    const pinned = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: item.version, pinned: true },
    });
    expect(pinned.status).toBe(200);
    await settled();
    expect(messagesTo(reader).map((m) => m.alert.kind)).toEqual(["alert"]);
  });

  it("keeps an endpoint once: subscribing again replaces its topics and threshold", async () => {
    const reader = service.subscribe();
    expect((await subscribe(reader, ["world"])).status).toBe(201);
    const before = await server.storage.push().countSubscriptions();
    expect((await subscribe(reader, ["sport"])).status).toBe(201);
    expect(await server.storage.push().countSubscriptions()).toBe(before);
    await publish(server.url, server.editorToken, { headline: "World again", breaking: true });
    await publish(server.url, server.editorToken, {
      headline: "Sport again",
      topics: ["sport"],
      breaking: true,
    });
    await settled();
    expect(messagesTo(reader).map((m) => m.alert.title)).toEqual(["Sport again"]);
  });

  it("sends a reader who chose flashes only a flash, with Urgency high, and no other breaking item", async () => {
    const reader = service.subscribe();
    const alerts = service.subscribe();
    expect((await subscribe(reader, ["world"], 1)).status).toBe(201);
    expect((await subscribe(alerts, ["world"], 2)).status).toBe(201);
    await publish(server.url, server.editorToken, { headline: "Breaking but not a flash", breaking: true });
    await publish(server.url, server.editorToken, { headline: "An alert, not a flash", urgency: 2 });
    await publish(server.url, server.editorToken, { headline: "A flash", urgency: 1 });
    await settled();
    expect(messagesTo(reader).map((m) => [m.alert.title, m.headers.urgency])).toEqual([["A flash", "high"]]);
    // Sent with bounded concurrency: the two may arrive in either order.
    expect(
      messagesTo(alerts)
        .map((m) => [m.alert.title, m.headers.urgency])
        .sort(),
    ).toEqual([
      ["A flash", "high"],
      ["An alert, not a flash", "normal"],
    ]);
  });

  it("stops after the reader unsubscribes with the endpoint", async () => {
    const reader = service.subscribe();
    expect((await subscribe(reader, ["world"])).status).toBe(201);
    const answer = await call(server.url, "DELETE", "/api/push/subscriptions", {
      body: { endpoint: reader.endpoint },
    });
    expect(answer.status).toBe(204);
    await publish(server.url, server.editorToken, { headline: "After unsubscribing", breaking: true });
    await settled();
    expect(messagesTo(reader)).toEqual([]);
  });

  it("retries on 429 (after Retry-After) and 5xx, and deletes a subscription its push service forgot (404, 410)", async () => {
    const busy = service.subscribe();
    const gone = service.subscribe();
    const unknown = service.subscribe();
    expect((await subscribe(busy, ["politics"])).status).toBe(201);
    expect((await subscribe(gone, ["politics"])).status).toBe(201);
    expect((await subscribe(unknown, ["politics"])).status).toBe(201);
    service.answerNext(busy.endpoint, { status: 429, headers: { "retry-after": "0" } }, { status: 503 });
    service.answerNext(gone.endpoint, { status: 410 });
    service.answerNext(unknown.endpoint, { status: 404 });
    const before = await server.storage.push().countSubscriptions();
    await publish(server.url, server.editorToken, {
      headline: "Retried alert",
      topics: ["politics"],
      breaking: true,
    });
    await settled();
    expect(messagesTo(busy).map((m) => m.alert.title)).toEqual(["Retried alert"]);
    expect(messagesTo(gone)).toEqual([]);
    expect(await server.storage.push().countSubscriptions()).toBe(before - 2);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/livedesk_push_messages_total\{result="retried"\} [2-9]/);
    expect(metrics).toMatch(/livedesk_push_messages_total\{result="gone"\} [2-9]/);
    expect(metrics).toMatch(/livedesk_push_subscriptions \d+/);
  });

  it("answers a publish while the push service has not answered yet", async () => {
    const reader = service.subscribe();
    expect((await subscribe(reader, ["world"])).status).toBe(201);
    let release = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    service.answerNext(reader.endpoint, { status: 201, hold });
    const requestsBefore = service.requests();
    await publish(server.url, server.editorToken, { headline: "Held at the push service", breaking: true });
    await waitFor(() => (service.requests() > requestsBefore ? true : undefined));
    // The push service holds the message: the next publish is answered all the same.
    const next = await call(server.url, "POST", "/api/items", {
      token: server.editorToken,
      body: { headline: "Published meanwhile", topics: ["sport"] },
    });
    expect(next.status).toBe(201);
    expect(messagesTo(reader)).toEqual([]);
    release();
    await waitFor(() => (messagesTo(reader).length === 1 ? true : undefined));
  });
});

describe("order", () => {
  it("never lets a correction overtake its alert on the way to the push service", async () => {
    const reader = service.subscribe();
    expect((await subscribe(reader, ["world"])).status).toBe(201);
    let release = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    service.answerNext(reader.endpoint, { status: 201, hold });
    const item = await publish(server.url, server.editorToken, { headline: "Ferry sinks", breaking: true });
    await waitFor(() => (service.requests(reader.endpoint) === 1 ? true : undefined));
    const edited = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: item.version, headline: "Ferry runs aground", correction: "It did not sink." },
    });
    expect(edited.status).toBe(200);
    const waiting = async () =>
      /livedesk_push_queue_waiting (\d+)/.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1];
    // The correction waits behind its alert, which the push service still holds.
    await expect.poll(waiting).toBe("1");
    expect(service.requests(reader.endpoint)).toBe(1);
    release();
    await waitFor(() => (messagesTo(reader).length === 2 ? true : undefined));
    expect(messagesTo(reader).map((m) => m.alert.kind)).toEqual(["alert", "correction"]);
  });
});

describe("subscribing", () => {
  it("names what is wrong with a bad subscription", async () => {
    const reader = service.subscribe();
    const bad = await call(server.url, "POST", "/api/push/subscriptions", {
      body: {
        subscription: { endpoint: "not a url", keys: { p256dh: "short", auth: reader.keys.auth } },
        topics: [],
        minUrgency: 4,
      },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(errorOf(bad).fields ?? {}).sort()).toEqual([
      "minUrgency",
      "subscription.endpoint",
      "subscription.keys.p256dh",
      "topics",
    ]);
    const unknown = await subscribe(reader, ["no-such-topic"]);
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown).fields?.topics).toMatch(/no-such-topic/);
  });
});

describe("the send queue", () => {
  it("keeps at most its concurrency of messages in flight, the rest waiting", async () => {
    const narrow = await startTestServer({ push: { insecureEndpoints: true, sender: { concurrency: 2 } } });
    let release = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      const readers = Array.from({ length: 6 }, () => service.subscribe());
      for (const reader of readers) {
        service.answerNext(reader.endpoint, { status: 201, hold });
        const answer = await call(narrow.url, "POST", "/api/push/subscriptions", {
          body: {
            subscription: { endpoint: reader.endpoint, keys: reader.keys },
            topics: ["world"],
            minUrgency: 3,
          },
        });
        expect(answer.status).toBe(201);
      }
      const requestsBefore = service.requests();
      await publish(narrow.url, narrow.editorToken, {
        headline: "Six readers, two at a time",
        breaking: true,
      });
      const waiting = async () =>
        /livedesk_push_queue_waiting (\d+)/.exec(await (await fetch(`${narrow.url}/metrics`)).text())?.[1];
      await expect.poll(waiting).toBe("4");
      await expect.poll(() => service.requests() - requestsBefore).toBe(2);
      release();
      await narrow.livedesk.push?.idle();
      expect(service.requests() - requestsBefore).toBe(6);
      expect(readers.every((reader) => messagesTo(reader).length === 1)).toBe(true);
    } finally {
      release();
      await narrow.close();
    }
  });
});
