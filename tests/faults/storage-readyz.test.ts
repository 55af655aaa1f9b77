import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { LocalFanout } from "../../server/fanout/fanout";
import { readinessChecks } from "../../server/http/readiness";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { setUpDesk } from "../helpers/admin";
import { call } from "../helpers/http";
import { sampleDraft } from "../helpers/items";
import { spawnServer } from "../helpers/process";
import { startRedis } from "../helpers/redis";
import { tempDir } from "../helpers/server";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const readyBody = z.object({
  error: z.object({ code: z.string() }).optional(),
  checks: z.object({
    storage: z.object({ status: z.string() }),
    fanout: z.object({ status: z.string() }),
  }),
});

describe("/readyz with a dependency that hangs or a broadcast that lags", () => {
  it("a hung Redis (SIGSTOP): /readyz answers 503 naming the fan-out within 1 s, and SIGTERM still exits 0", async () => {
    const redis = await startRedis();
    const env = {
      DATABASE_URL: `sqlite:${path.join(dir, "redis.db")}`,
      REDIS_URL: redis.url,
      LIVEDESK_ADMIN_PASSWORD: "readyz-admin-password",
    };
    const server = await spawnServer(env);
    try {
      await setUpDesk(server.url, env.LIVEDESK_ADMIN_PASSWORD);
      expect((await call(server.url, "GET", "/readyz")).status).toBe(200);
      redis.pause();
      for (let i = 0; i < 3; i += 1) {
        const started = Date.now();
        const ready = await call(server.url, "GET", "/readyz");
        expect(Date.now() - started).toBeLessThan(1000);
        expect(ready.status).toBe(503);
        const body = readyBody.parse(ready.body);
        expect(body.error?.code).toBe("fanout_unavailable");
        expect(body.checks.storage.status).toBe("ok");
        // Slow while the ping waits; down once Redis's own command deadline has failed it.
        expect(body.checks.fanout.status).toMatch(/^(slow|down)$/);
      }
      const started = Date.now();
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      redis.resume();
      server.child.kill("SIGKILL");
      await redis.stop();
    }
  });

  it("names a node whose broadcast lags the storage, and lets one that catches up within the deadline pass", async () => {
    const storage = SqliteStorage.open(path.join(dir, "lag.db"));
    try {
      for (const id of ["a", "b", "c"]) {
        await storage.commit({
          itemId: id,
          decide: () => ({ ok: true, kind: "created", item: sampleDraft(id) }),
        });
      }
      let released = 1;
      const check = readinessChecks({ storage, fanout: new LocalFanout(), broadcastSeq: () => released });
      const started = Date.now();
      const lagging = await check();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(lagging.ready).toBe(false);
      expect(lagging.body.error?.code).toBe("broadcast_lagging");
      expect(lagging.body.checks.broadcast).toMatchObject({ status: "lagging", seq: 1, storageSeq: 3 });

      // Changes on their way through the fan-out arrive while the check waits.
      setTimeout(() => {
        released = 3;
      }, 100);
      const caughtUp = await check();
      expect(caughtUp.ready).toBe(true);
      expect(caughtUp.body.checks.broadcast).toMatchObject({ status: "ok", seq: 3, storageSeq: 3 });
    } finally {
      await storage.close();
    }
  });
});
