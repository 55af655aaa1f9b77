import fs from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type LivedeskApp } from "../../server/app";
import { Auth, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "../../server/auth/auth";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { call } from "../helpers/http";
import { tempDir } from "../helpers/server";

const dir = tempDir();
let livedesk: LivedeskApp;
let url: string;

beforeAll(async () => {
  livedesk = await createApp(
    { clientDir: dir, loginLimits: { perAddressAndAccount: 3, perAddress: 5, perAccount: 4 } },
    { storage: SqliteStorage.open(path.join(dir, "a.db")), logger: pino({ level: "silent" }) },
  );
  url = `http://127.0.0.1:${(await livedesk.listen(0, "127.0.0.1")).port}`;
});
afterAll(async () => {
  await livedesk.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const attempt = (username: string, from: string) =>
  call(url, "POST", "/api/session", {
    body: { username, password: "wrong-password" },
    headers: { "x-forwarded-for": from },
  });

describe("login throttling", () => {
  it("limits one address guessing one account", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await attempt("alpha", "203.0.113.1")).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await attempt("alpha", "203.0.113.1");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("limits one address trying many accounts", async () => {
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await attempt(`user${i}`, "203.0.113.2")).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("limits one account guessed from many addresses", async () => {
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await attempt("bravo", `198.51.100.${i + 1}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });
});

describe("session expiry", () => {
  it("ends a session after the idle limit, and after the absolute limit however busy it is", async () => {
    const storage = SqliteStorage.open(path.join(dir, "expiry.db"));
    let now = Date.parse("2026-03-01T08:00:00.000Z");
    const auth = new Auth(storage, () => new Date(now));
    await auth.createOperator("ana", "ana-password-1", "editor");

    const idle = await auth.login("ana", "ana-password-1");
    if (idle === null) throw new Error("login failed");
    now += SESSION_IDLE_MS - 1000;
    expect(await auth.fromSession(idle.sessionId)).not.toBeNull();
    now += SESSION_IDLE_MS + 1000;
    expect(await auth.fromSession(idle.sessionId)).toBeNull();

    const busy = await auth.login("ana", "ana-password-1");
    if (busy === null) throw new Error("login failed");
    const started = now;
    while (now - started < SESSION_ABSOLUTE_MS - 3_600_000) {
      now += 3_600_000;
      expect(await auth.fromSession(busy.sessionId)).not.toBeNull();
    }
    now = started + SESSION_ABSOLUTE_MS + 1000;
    expect(await auth.fromSession(busy.sessionId)).toBeNull();
    await storage.close();
  });
});
