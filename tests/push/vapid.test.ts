import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type LivedeskApp } from "../../server/app";
import { PgStorage } from "../../server/storage/postgres/pg-storage";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { pushKeySchema } from "../../shared/push";
import { call } from "../helpers/http";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { tempDir } from "../helpers/server";

/*
 * With no LIVEDESK_VAPID_* set, the key pair is made on first start and kept in the storage: a
 * restarted node, and every node of a cluster, must sign with that one pair, or the browsers'
 * push services refuse the messages of every subscription made under the other key.
 */

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres.stop();
});

const logger = pino({ level: "silent" });

/** A node on `storage`, listening; the public key its `GET /api/push/key` answers, and its app. */
async function startNode(
  storage: SqliteStorage | PgStorage,
  dir: string,
): Promise<{ key: string; livedesk: LivedeskApp }> {
  const livedesk = await createApp(
    { clientDir: path.join(dir, "no-client") },
    { storage, push: storage.push(), logger },
  );
  const { port } = await livedesk.listen(0, "127.0.0.1");
  const answer = await call(`http://127.0.0.1:${port}`, "GET", "/api/push/key");
  expect(answer.status).toBe(200);
  return { key: pushKeySchema.parse(answer.body).publicKey, livedesk };
}

describe("the VAPID key pair made on first start", () => {
  it("is the one a restarted server signs with (SQLite)", async () => {
    const dir = tempDir();
    const file = path.join(dir, "livedesk.db");
    const first = await startNode(SqliteStorage.open(file), dir);
    await first.livedesk.close();
    const again = await startNode(SqliteStorage.open(file), dir);
    try {
      expect(again.key).toBe(first.key);
    } finally {
      await again.livedesk.close();
    }
  });

  it("is the same on two nodes starting at once on an empty PostgreSQL, and after one restarts", async () => {
    const dir = tempDir();
    const url = await postgres.createDatabase();
    // Both open the empty database at the same moment: migrations and the key race.
    const [a, b] = await Promise.all([
      PgStorage.open(url).then((storage) => startNode(storage, dir)),
      PgStorage.open(url).then((storage) => startNode(storage, dir)),
    ]);
    try {
      expect(a.key).toMatch(/^[A-Za-z0-9_-]{87}$/);
      expect(b.key).toBe(a.key);
      await b.livedesk.close();
      const restarted = await startNode(await PgStorage.open(url), dir);
      expect(restarted.key).toBe(a.key);
      await restarted.livedesk.close();
    } finally {
      await a.livedesk.close();
    }
  });
});
