import fs from "node:fs";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { syncAckSchema } from "../../shared/events";
import { type Item, itemSchema } from "../../shared/item";
import { sessionSchema } from "../../shared/requests";
import { call } from "../helpers/http";
import { type ServerProcess, spawnServer } from "../helpers/process";
import { tempDir } from "../helpers/server";

const dir = tempDir();
const env = {
  DATABASE_URL: `sqlite:${path.join(dir, "livedesk.db")}`,
  LIVEDESK_ADMIN_PASSWORD: "crash-test-admin-password",
};
const running: ServerProcess[] = [];

afterAll(() => {
  for (const server of running) server.child.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const server = await spawnServer(env);
  running.push(server);
  return server;
}

/** Every change the server has, through a reader's sync from the beginning. */
async function allChangeSeqs(url: string): Promise<number[]> {
  const socket = io(url, { transports: ["websocket"], reconnection: false });
  try {
    const answer = syncAckSchema.parse(await socket.timeout(5000).emitWithAck("timeline:sync", { since: 0 }));
    if (!("changes" in answer)) throw new Error("expected the whole log");
    return answer.changes.map((change) => change.seq);
  } finally {
    socket.close();
  }
}

describe("a server killed with SIGKILL in the middle of a stream of publishes", () => {
  it("keeps every acknowledged item, reuses no seq, and keeps tokens and sessions", async () => {
    const first = await start();
    const login = await fetch(`${first.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: env.LIVEDESK_ADMIN_PASSWORD }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const { csrfToken } = sessionSchema.parse(await login.json());
    const headers = { cookie, "x-csrf-token": csrfToken };
    expect(
      (await call(first.url, "POST", "/api/topics", { headers, body: { slug: "world", name: "World" } }))
        .status,
    ).toBe(201);
    const created = await call(first.url, "POST", "/api/tokens", {
      headers,
      body: { name: "wire", role: "editor" },
    });
    const { token } = z.object({ token: z.string() }).parse(created.body);

    // Four tools publish as fast as they can, each item under its own idempotency key.
    const acknowledged = new Map<string, Item>();
    const attempted: string[] = [];
    let killed = false;
    const tool = async (name: string) => {
      for (let i = 0; !killed; i += 1) {
        const key = `${name}-${i}`;
        attempted.push(key);
        try {
          const answer = await call(first.url, "POST", "/api/items", {
            token,
            headers: { "idempotency-key": key },
            body: { headline: `Item ${key}`, topics: ["world"] },
          });
          if (answer.status === 201) acknowledged.set(key, itemSchema.parse(answer.body));
        } catch {
          return; // the connection died with the server
        }
      }
    };
    const tools = ["a", "b", "c", "d"].map(tool);
    while (acknowledged.size < 40) await new Promise((resolve) => setImmediate(resolve));
    first.child.kill("SIGKILL");
    killed = true;
    expect(await first.exited).toBe("SIGKILL");
    await Promise.all(tools);

    const second = await start();
    for (const [key, item] of acknowledged) {
      const stored = await call(second.url, "GET", `/api/items/${item.id}`);
      expect(stored.status, key).toBe(200);
      expect(stored.body).toEqual(item);
    }
    const seqs = await allChangeSeqs(second.url);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));

    // The tools retry every key they sent: the acknowledged ones come back as they were, none twice.
    for (const key of attempted) {
      const answer = await call(second.url, "POST", "/api/items", {
        token,
        headers: { "idempotency-key": key },
        body: { headline: `Item ${key}`, topics: ["world"] },
      });
      expect(answer.status).toBe(201);
      const acked = acknowledged.get(key);
      if (acked !== undefined) expect(answer.body).toEqual(acked);
    }
    const after = await allChangeSeqs(second.url);
    expect(after).toEqual(Array.from({ length: after.length }, (_, i) => i + 1));
    const listed = z
      .object({ items: z.array(itemSchema) })
      .parse((await call(second.url, "GET", "/api/items?limit=200")).body)
      .items.map((item) => item.headline);
    expect(listed.length).toBe(new Set(listed).size);
    expect(new Set(listed)).toEqual(new Set(attempted.map((key) => `Item ${key}`)));

    // The session cookie and the token from before the crash still work.
    const who = await call(second.url, "GET", "/api/session", { headers: { cookie } });
    expect(who.body).toMatchObject({ operator: { username: "admin" } });
    expect(
      (await call(second.url, "POST", "/api/topics", { headers, body: { slug: "sport", name: "Sport" } }))
        .status,
    ).toBe(201);

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
