import crypto from "node:crypto";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app";
import { isRefusedAddress, publicOnlyLookup } from "../../server/push/endpoint";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { call, errorOf } from "../helpers/http";
import { startTestServer, type TestServer, tempDir } from "../helpers/server";

/** A server as deployed: push endpoints must be https on public addresses. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ push: { callsPerAddress: 40 } });
});
afterAll(async () => {
  await server.close();
});

function browserKeys() {
  const ecdh = crypto.createECDH("prime256v1");
  ecdh.generateKeys();
  return {
    p256dh: ecdh.getPublicKey().toString("base64url"),
    auth: crypto.randomBytes(16).toString("base64url"),
  };
}

function subscribe(endpoint: string) {
  return call(server.url, "POST", "/api/push/subscriptions", {
    body: { subscription: { endpoint, keys: browserKeys() }, topics: ["world"], minUrgency: 3 },
  });
}

describe("push endpoints", () => {
  it.each([
    ["http://push.example.com/send/1", /https/],
    ["https://127.0.0.1/push", /loopback, private or link-local/],
    ["https://10.20.30.40/push", /loopback, private or link-local/],
    ["https://192.168.1.1:8443/push", /loopback, private or link-local/],
    ["https://172.20.0.5/push", /loopback, private or link-local/],
    ["https://169.254.169.254/latest/meta-data", /loopback, private or link-local/],
    ["https://[::1]/push", /loopback, private or link-local/],
    ["https://[fe80::1]/push", /loopback, private or link-local/],
    ["https://[fd00::5]/push", /loopback, private or link-local/],
    ["https://[::ffff:127.0.0.1]/push", /loopback, private or link-local/],
    ["https://localhost/push", /resolve to a loopback, private or link-local/],
    ["https://user:secret@93.184.216.34/push", /user name or password/],
  ])("refuses %s, naming the endpoint", async (endpoint, why) => {
    const answer = await subscribe(endpoint);
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.code).toBe("endpoint_refused");
    expect(error.fields?.["subscription.endpoint"]).toMatch(why);
    expect(await server.storage.push().countSubscriptions()).toBe(0);
  });

  it("accepts an https endpoint on a public address", async () => {
    expect((await subscribe("https://93.184.216.34/push/abc")).status).toBe(201);
    expect(await server.storage.push().countSubscriptions()).toBe(1);
  });

  it("tells refused addresses from public ones, IPv4 written as IPv6 included", () => {
    for (const address of ["127.0.0.1", "10.0.0.1", "100.64.1.1", "0.0.0.0", "::", "::ffff:a00:1", "ff02::1"])
      expect(isRefusedAddress(address), address).toBe(true);
    for (const address of ["93.184.216.34", "8.8.8.8", "2a00:1450:4001:80b::200a", "::ffff:8.8.8.8"])
      expect(isRefusedAddress(address), address).toBe(false);
  });

  it("refuses on connect a name that resolves to a loopback address", async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      publicOnlyLookup("localhost", { all: true }, (err) => resolve(err)),
    );
    expect(error?.code).toBe("EPUSHADDRESS");
  });
});

describe("push calls", () => {
  it("limits how often one address subscribes", async () => {
    const limited = await startTestServer({ push: { insecureEndpoints: true, callsPerAddress: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const answer = await call(limited.url, "POST", "/api/push/subscriptions", {
          body: {
            subscription: { endpoint: `http://127.0.0.1:9/push/${i}`, keys: browserKeys() },
            topics: ["world"],
            minUrgency: 3,
          },
        });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
    } finally {
      await limited.close();
    }
  });

  it("answers 503 naming the reason on a server set up without push", async () => {
    const dir = tempDir();
    const app = await createApp(
      { clientDir: path.join(dir, "no-client") },
      { storage: SqliteStorage.open(path.join(dir, "l.db")), logger: pino({ level: "silent" }) },
    );
    const { port } = await app.listen(0, "127.0.0.1");
    try {
      const answer = await call(`http://127.0.0.1:${port}`, "GET", "/api/push/key");
      expect(answer.status).toBe(503);
      expect(errorOf(answer).code).toBe("push_unavailable");
    } finally {
      await app.close();
    }
  });
});
