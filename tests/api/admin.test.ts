import Database from "better-sqlite3";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { panelPresenceSchema } from "../../shared/events";
import { auditEntrySchema, sessionSchema } from "../../shared/requests";
import { call, errorOf, publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.livedesk.auth.createOperator("boss", "boss-password-1", "admin");
  await server.livedesk.auth.createOperator("writer", "writer-password", "editor");
});
afterAll(async () => {
  await server.close();
});

async function login(username: string, password: string) {
  const response = await fetch(`${server.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) return null;
  const { csrfToken } = sessionSchema.parse(await response.json());
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { cookie, headers: { cookie, "x-csrf-token": csrfToken } };
}

describe("managing the desk", () => {
  it("lists, promotes, disables and resets operators; a disabled one is out at once", async () => {
    const writer = await login("writer", "writer-password");
    if (writer === null) throw new Error("writer could not log in");
    const list = await call(server.url, "GET", "/api/operators", { token: server.adminToken });
    expect(list.body).toEqual([
      { username: "boss", role: "admin", disabled: false },
      { username: "writer", role: "editor", disabled: false },
    ]);
    const disabled = await call(server.url, "PATCH", "/api/operators/writer", {
      token: server.adminToken,
      body: { disabled: true },
    });
    expect(disabled.body).toEqual({ username: "writer", role: "editor", disabled: true });
    expect(
      (await call(server.url, "GET", "/api/session", { headers: { cookie: writer.cookie } })).status,
    ).toBe(401);
    expect(await login("writer", "writer-password")).toBeNull();

    await call(server.url, "PATCH", "/api/operators/writer", {
      token: server.adminToken,
      body: { disabled: false, password: "a-brand-new-password", role: "admin" },
    });
    expect(await login("writer", "writer-password")).toBeNull();
    expect(await login("writer", "a-brand-new-password")).not.toBeNull();

    const missing = await call(server.url, "PATCH", "/api/operators/ghost", {
      token: server.adminToken,
      body: { role: "admin" },
    });
    expect(missing.status).toBe(404);
    const empty = await call(server.url, "PATCH", "/api/operators/writer", {
      token: server.adminToken,
      body: {},
    });
    expect(empty.status).toBe(400);
  });

  it("refuses to let an admin demote or disable themselves", async () => {
    const boss = await login("boss", "boss-password-1");
    if (boss === null) throw new Error("boss could not log in");
    const answer = await call(server.url, "PATCH", "/api/operators/boss", {
      headers: boss.headers,
      body: { role: "editor" },
    });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe("cannot_change_self");
  });

  it("renames topics, lists tokens without their secrets, and keeps an audit log of it all", async () => {
    const renamed = await call(server.url, "PATCH", "/api/topics/world", {
      token: server.adminToken,
      body: { name: "World news" },
    });
    expect(renamed.body).toEqual({ slug: "world", name: "World news" });
    expect((await call(server.url, "GET", "/api/topics")).body).toContainEqual({
      slug: "world",
      name: "World news",
    });
    expect(
      (await call(server.url, "PATCH", "/api/topics/nope", { token: server.adminToken, body: { name: "X" } }))
        .status,
    ).toBe(404);

    const tokens = await call(server.url, "GET", "/api/tokens", { token: server.adminToken });
    expect(JSON.stringify(tokens.body)).not.toContain("ldk_");
    expect(
      z
        .array(z.object({ name: z.string() }))
        .parse(tokens.body)
        .map((t) => t.name),
    ).toContain("test wire");

    const item = await publish(server.url, server.editorToken, { headline: "Audited item" });
    const entries = z
      .object({ entries: z.array(auditEntrySchema) })
      .parse((await call(server.url, "GET", "/api/audit", { token: server.adminToken })).body).entries;
    expect(entries[0]).toMatchObject({
      actor: "test wire",
      action: "item.created",
      target: item.id,
      detail: "Audited item",
    });
    expect(entries).toContainEqual(
      expect.objectContaining({ actor: "test admin", action: "topic.renamed", target: "world" }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ action: "operator.updated", target: "writer" }));
  });

  it("makes no change whose audit line cannot be written: the log never misses one", async () => {
    const desk = await startTestServer();
    try {
      const db = new Database(desk.file);
      db.exec(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit refused'); END",
      );
      db.close();
      const admin = { token: desk.adminToken };
      const created = await call(desk.url, "POST", "/api/topics", {
        ...admin,
        body: { slug: "late", name: "Late" },
      });
      expect(created.status).toBe(500);
      const renamed = await call(desk.url, "PATCH", "/api/topics/world", {
        ...admin,
        body: { name: "Globe" },
      });
      expect(renamed.status).toBe(500);
      const operator = { username: "nightdesk", password: "nightdesk-password", role: "editor" };
      expect((await call(desk.url, "POST", "/api/operators", { ...admin, body: operator })).status).toBe(500);
      expect(
        (await call(desk.url, "POST", "/api/tokens", { ...admin, body: { name: "wire", role: "editor" } }))
          .status,
      ).toBe(500);

      expect((await call(desk.url, "GET", "/api/topics")).body).toEqual([
        { slug: "politics", name: "Politics" },
        { slug: "sport", name: "Sport" },
        { slug: "world", name: "World" },
      ]);
      expect((await call(desk.url, "GET", "/api/operators", admin)).body).toEqual([]);
      const tokens = z
        .array(z.object({ name: z.string() }))
        .parse((await call(desk.url, "GET", "/api/tokens", admin)).body);
      expect(tokens.map((token) => token.name).sort()).toEqual(["test admin", "test wire"]);
    } finally {
      await desk.close();
    }
  });

  it("answers 403 to an editor on every admin call", async () => {
    for (const [method, pathname, body] of [
      ["GET", "/api/operators", undefined],
      ["PATCH", "/api/operators/boss", { role: "editor" }],
      ["GET", "/api/tokens", undefined],
      ["GET", "/api/audit", undefined],
      ["PATCH", "/api/topics/sport", { name: "Sports" }],
    ] as const) {
      const answer = await call(server.url, method, pathname, {
        token: server.editorToken,
        ...(body ? { body } : {}),
      });
      expect(answer.status, `${method} ${pathname}`).toBe(403);
    }
  });
});

describe("operators in the panel", () => {
  it("see who else is there and what they edit; readers hear nothing of it", async () => {
    const boss = await login("boss", "boss-password-1");
    const writer = await login("writer", "a-brand-new-password");
    if (boss === null || writer === null) throw new Error("login failed");
    const open = (cookie?: string): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = io(server.url, {
          transports: ["websocket"],
          reconnection: false,
          ...(cookie === undefined ? {} : { extraHeaders: { cookie } }),
        });
        socket.once("connect", () => resolve(socket));
        socket.once("connect_error", reject);
      });
    const reader = await open();
    let readerHeard = false;
    reader.on("panel:presence", () => {
      readerHeard = true;
    });
    const bossSocket = await open(boss.cookie);
    const seen: z.infer<typeof panelPresenceSchema>[] = [];
    bossSocket.on("panel:presence", (payload: unknown) => seen.push(panelPresenceSchema.parse(payload)));
    const writerSocket = await open(writer.cookie);
    writerSocket.emit("panel:editing", { itemId: "item-42" });
    writerSocket.emit("panel:editing", "garbage");
    await expect
      .poll(() => seen.at(-1))
      .toEqual({
        operators: [
          { username: "boss", editing: null },
          { username: "writer", editing: "item-42" },
        ],
      });
    writerSocket.close();
    await expect.poll(() => seen.at(-1)).toEqual({ operators: [{ username: "boss", editing: null }] });
    expect(readerHeard).toBe(false);
    bossSocket.close();
    reader.close();
  });
});
