import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("operating a node", () => {
  it("serves Prometheus metrics: readers, changes, publish-to-broadcast latency, event-loop delay, storage errors", async () => {
    const reader = new Reader(server.url);
    await reader.waitForSyncs(1);
    // An operator's panel tab follows the timeline too, but it is not a reader.
    const panelTab = io(server.url, { transports: ["websocket"], auth: { surface: "panel" } });
    await new Promise<void>((resolve) => panelTab.once("connect", () => resolve()));
    const item = await publish(server.url, server.editorToken, { headline: "Metrics test" });
    await reader.waitForSeq(item.seq);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    reader.close();
    panelTab.close();
    expect(text).toMatch(/^livedesk_connected_readers 1$/m);
    expect(text).toMatch(/^livedesk_changes_broadcast_total\{kind="created"\} 1$/m);
    expect(text).toMatch(/^livedesk_publish_to_broadcast_seconds_count 1$/m);
    expect(text).toMatch(/^livedesk_storage_errors_total 0$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });

  it("gives every request an id, keeping one sent by the proxy", async () => {
    const own = await fetch(`${server.url}/healthz`);
    expect(own.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const given = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "nginx-abc123" } });
    expect(given.headers.get("x-request-id")).toBe("nginx-abc123");
  });
});
