import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { io } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { syncAckSchema } from "../../shared/events";
import { type Item, itemSchema } from "../../shared/item";
import { setUpDesk } from "../helpers/admin";
import { freePort } from "../helpers/desk";
import { call } from "../helpers/http";
import { type ServerProcess, spawnServer } from "../helpers/process";
import { tempDir } from "../helpers/server";

/** CRASH_KILLS=20 npm run test:crash for the full run; CI kills a few times. */
const KILLS = Number(process.env.CRASH_KILLS ?? 4);

const dir = tempDir();
const file = path.join(dir, "livedesk.db");
let running: ServerProcess | undefined;
afterAll(() => {
  running?.child.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

async function changeSeqs(url: string): Promise<number[]> {
  const socket = io(url, { transports: ["websocket"], reconnection: false });
  try {
    const answer = syncAckSchema.parse(await socket.timeout(5000).emitWithAck("timeline:sync", { since: 0 }));
    if (!("changes" in answer)) throw new Error("expected the whole log");
    return answer.changes.map((change) => change.seq);
  } finally {
    socket.close();
  }
}

describe(`${KILLS} SIGKILLs at random moments while tools publish with idempotency keys and retries`, () => {
  it("keeps every acknowledged item exactly once, seq gapless, and the SQLite file intact", async () => {
    const env = {
      PORT: String(await freePort()),
      DATABASE_URL: `sqlite:${file}`,
      LIVEDESK_ADMIN_PASSWORD: "kill-loop-admin-password",
    };
    running = await spawnServer(env);
    const token = (await setUpDesk(running.url, env.LIVEDESK_ADMIN_PASSWORD)).editorToken;

    const acknowledged = new Map<string, Item>();
    // Keys sent but not acknowledged: a tool retries them, with the same key, until they land.
    const pending = new Set<string>();
    let next = 0;

    for (let round = 0; round < KILLS; round += 1) {
      const server = running;
      const target = acknowledged.size + 5 + Math.floor(Math.random() * 25);
      let dead = false;
      const tool = async () => {
        while (!dead) {
          const retry = [...pending][0];
          const key = retry ?? `key-${next++}`;
          pending.add(key);
          try {
            const answer = await call(server.url, "POST", "/api/items", {
              token,
              headers: { "idempotency-key": key },
              body: { headline: `Item ${key}`, topics: ["world"] },
            });
            if (answer.status !== 201) throw new Error(`publish answered ${answer.status}`);
            const item = itemSchema.parse(answer.body);
            const earlier = acknowledged.get(key);
            if (earlier !== undefined) expect(item).toEqual(earlier);
            acknowledged.set(key, item);
            pending.delete(key);
          } catch (error) {
            if (!dead) throw error;
          }
        }
      };
      const tools = [tool(), tool(), tool()];
      while (acknowledged.size < target) await new Promise((resolve) => setTimeout(resolve, 1));
      server.child.kill("SIGKILL");
      dead = true;
      await server.exited;
      await Promise.all(tools);

      const db = new Database(file, { readonly: true });
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      db.close();

      running = await spawnServer(env);
      for (const [key, item] of acknowledged) {
        const stored = await call(running.url, "GET", `/api/items/${item.id}`);
        expect(stored.status, key).toBe(200);
      }
      const seqs = await changeSeqs(running.url);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    }

    // Every key sent lands exactly once.
    for (const key of [...pending]) {
      const answer = await call(running.url, "POST", "/api/items", {
        token,
        headers: { "idempotency-key": key },
        body: { headline: `Item ${key}`, topics: ["world"] },
      });
      expect(answer.status).toBe(201);
    }
    const headlines: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = z
        .object({ items: z.array(itemSchema), nextCursor: z.string().nullable() })
        .parse(
          (
            await call(
              running.url,
              "GET",
              `/api/items?limit=200${cursor === null ? "" : `&before=${cursor}`}`,
            )
          ).body,
        );
      headlines.push(...page.items.map((item) => item.headline));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(headlines.length).toBe(new Set(headlines).size);
    expect(headlines.length).toBe(next);
  });
});
