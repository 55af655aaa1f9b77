import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type Item, itemSchema } from "../../shared/item";
import { setUpDesk } from "../helpers/admin";
import { call, errorOf } from "../helpers/http";
import { type ServerProcess, spawnServer } from "../helpers/process";
import { tempDir } from "../helpers/server";

const PASSWORD = "disk-admin-password";
/** A small disk of its own for the database, so that filling it fills nothing else. */
const dir = tempDir();
const disk = path.join(dir, "disk");
const filler = path.join(disk, "filler");
let server: ServerProcess | undefined;

beforeAll(() => {
  fs.mkdirSync(disk);
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", disk]);
});

afterAll(async () => {
  if (server !== undefined && server.child.exitCode === null) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  execFileSync("umount", [disk]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes zeros into `file` until the disk refuses more. */
function fillDisk(file: string): void {
  const fd = fs.openSync(file, "w");
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOSPC")) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

const readyBody = z.object({
  error: z.object({ code: z.string() }).optional(),
  checks: z.object({ storage: z.object({ status: z.string() }) }),
});

describe("SQLite on a disk that fills up", () => {
  it("answers 507 storage_full, says so on /readyz, loses nothing, and publishes again once space is freed", async () => {
    const file = path.join(disk, "livedesk.db");
    server = await spawnServer({ DATABASE_URL: `sqlite:${file}`, LIVEDESK_ADMIN_PASSWORD: PASSWORD });
    const { url } = server;
    const { editorToken: token } = await setUpDesk(url, PASSWORD);
    const summary = "A summary long enough to need room on the disk. ".repeat(60);
    const publish = (headline: string) =>
      call(url, "POST", "/api/items", { token, body: { headline, summary, topics: ["world"] } });
    const acknowledged: Item[] = [];
    for (let i = 0; i < 5; i += 1) {
      const answer = await publish(`Before the disk fills ${i}`);
      expect(answer.status).toBe(201);
      acknowledged.push(itemSchema.parse(answer.body));
    }

    fillDisk(filler);
    // The WAL may still have room for a few; the disk runs out soon after.
    let refused = null;
    for (let i = 0; i < 400 && refused === null; i += 1) {
      const answer = await Promise.all(
        Array.from({ length: 5 }, (_, j) => publish(`On a full disk ${i}-${j}`)),
      );
      for (const one of answer) {
        if (one.status === 201) acknowledged.push(itemSchema.parse(one.body));
        else refused ??= one;
      }
    }
    if (refused === null) throw new Error("the disk never filled");
    expect(refused.status, JSON.stringify(refused.body)).toBe(507);
    expect(errorOf(refused).code).toBe("storage_full");

    const ready = await call(url, "GET", "/readyz");
    expect(ready.status).toBe(503);
    const body = readyBody.parse(ready.body);
    expect(body.error?.code).toBe("storage_full");
    expect(body.checks.storage.status).toBe("full");
    // Readers are still served from what is stored.
    for (const item of acknowledged) {
      expect((await call(url, "GET", `/api/items/${item.id}`)).status).toBe(200);
    }

    fs.rmSync(filler);
    await expect.poll(async () => (await call(url, "GET", "/readyz")).status, { timeout: 10_000 }).toBe(200);
    const after = await publish("After space was freed");
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    acknowledged.push(itemSchema.parse(after.body));

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    // Nothing acknowledged was lost, the change log has no gap, and the file is sound.
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const seqs = db
        .prepare("SELECT seq FROM changes ORDER BY seq")
        .all()
        .map((row) => z.object({ seq: z.number() }).parse(row).seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      const ids = new Set(
        db
          .prepare("SELECT id FROM items")
          .all()
          .map((row) => z.object({ id: z.string() }).parse(row).id),
      );
      expect(acknowledged.filter((item) => !ids.has(item.id))).toEqual([]);
    } finally {
      db.close();
    }
  });
});
