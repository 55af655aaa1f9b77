import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { sessionSchema } from "../../shared/requests";
import { call, errorOf } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.livedesk.auth.createOperator("chief", "chief-password-1", "admin");
});
afterAll(async () => {
  await server.close();
});

/** Logs in and returns the cookie and CSRF token a browser would hold. */
async function login(username: string, password: string) {
  const response = await fetch(`${server.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  const setCookie = response.headers.get("set-cookie") ?? "";
  const session = sessionSchema.parse(await response.json());
  return { cookie: setCookie.split(";")[0] ?? "", setCookie, ...session };
}

describe("sessions", () => {
  it("logs in with an httpOnly SameSite cookie and a CSRF token, tells who is logged in, and logs out", async () => {
    const session = await login("chief", "chief-password-1");
    expect(session.operator).toEqual({ username: "chief", role: "admin" });
    expect(session.setCookie).toMatch(/HttpOnly/i);
    expect(session.setCookie).toMatch(/SameSite=Strict/i);
    const who = await call(server.url, "GET", "/api/session", { headers: { cookie: session.cookie } });
    expect(who.body).toEqual({
      operator: { username: "chief", role: "admin" },
      csrfToken: session.csrfToken,
    });

    const noCsrf = await call(server.url, "DELETE", "/api/session", { headers: { cookie: session.cookie } });
    expect(noCsrf.status).toBe(403);
    const out = await call(server.url, "DELETE", "/api/session", {
      headers: { cookie: session.cookie, "x-csrf-token": session.csrfToken },
    });
    expect(out.status).toBe(204);
    expect(
      (await call(server.url, "GET", "/api/session", { headers: { cookie: session.cookie } })).status,
    ).toBe(401);
    expect((await call(server.url, "GET", "/api/session")).status).toBe(401);
  });

  it("answers a wrong password and an unknown user the same way", async () => {
    const wrong = await call(server.url, "POST", "/api/session", {
      body: { username: "chief", password: "guess-guess" },
    });
    const unknown = await call(server.url, "POST", "/api/session", {
      body: { username: "nobody", password: "guess-guess" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("publishes with the session cookie only together with the CSRF token", async () => {
    const session = await login("chief", "chief-password-1");
    const body = { headline: "From the panel", topics: ["world"] };
    const without = await call(server.url, "POST", "/api/items", {
      body,
      headers: { cookie: session.cookie },
    });
    expect(without.status).toBe(403);
    expect(errorOf(without).code).toBe("csrf_failed");
    const wrong = await call(server.url, "POST", "/api/items", {
      body,
      headers: { cookie: session.cookie, "x-csrf-token": "forged" },
    });
    expect(wrong.status).toBe(403);
    const right = await call(server.url, "POST", "/api/items", {
      body,
      headers: { cookie: session.cookie, "x-csrf-token": session.csrfToken },
    });
    expect(right.status).toBe(201);
    expect(right.body).toMatchObject({ author: "chief" });
  });

  it("answers 429 with Retry-After when a client keeps guessing a password", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const answer = await call(server.url, "POST", "/api/session", {
        body: { username: "victim", password: `guess-${i}` },
      });
      statuses.push(answer.status);
      if (answer.status === 429) {
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(errorOf(answer).code).toBe("too_many_attempts");
      }
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it("answers 400 naming the missing login fields", async () => {
    const answer = await call(server.url, "POST", "/api/session", { body: { username: "" } });
    expect(answer.status).toBe(400);
    expect(Object.keys(errorOf(answer).fields ?? {}).sort()).toEqual(["password", "username"]);
  });
});

describe("operators and tokens", () => {
  it("lets an admin create an editor, who can publish but not manage anything", async () => {
    const created = await call(server.url, "POST", "/api/operators", {
      token: server.adminToken,
      body: { username: "reporter", password: "reporter-password", role: "editor" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ username: "reporter", role: "editor" });
    const taken = await call(server.url, "POST", "/api/operators", {
      token: server.adminToken,
      body: { username: "Reporter", password: "reporter-password", role: "editor" },
    });
    expect(taken.status).toBe(409);
    const weak = await call(server.url, "POST", "/api/operators", {
      token: server.adminToken,
      body: { username: "x y", password: "short", role: "boss" },
    });
    expect(Object.keys(errorOf(weak).fields ?? {}).sort()).toEqual(["password", "role", "username"]);

    const editor = await login("reporter", "reporter-password");
    const headers = { cookie: editor.cookie, "x-csrf-token": editor.csrfToken };
    expect(
      (
        await call(server.url, "POST", "/api/items", {
          headers,
          body: { headline: "Mine", topics: ["sport"] },
        })
      ).status,
    ).toBe(201);
    for (const [pathname, body] of [
      ["/api/operators", { username: "sneaky", password: "sneaky-password", role: "admin" }],
      ["/api/tokens", { name: "sneaky", role: "admin" }],
      ["/api/topics", { slug: "sneaky", name: "Sneaky" }],
    ] as const) {
      const answer = await call(server.url, "POST", pathname, { headers, body });
      expect(answer.status).toBe(403);
      expect(errorOf(answer).code).toBe("forbidden");
    }
    expect((await call(server.url, "DELETE", "/api/tokens/whatever", { headers })).status).toBe(403);
  });

  it("still takes a token kept by an older server, whose hash is sha256 in base64url", async () => {
    // Tokens are kept only as their hash: a change in how it is computed would lock out every tool.
    const token = `ldk_${randomBytes(32).toString("base64url")}`;
    await server.storage.createToken({
      id: "kept-before",
      name: "older wire",
      role: "editor",
      hash: createHash("sha256").update(token).digest("base64url"),
      revoked: false,
      createdAt: new Date().toISOString(),
    });
    const answer = await call(server.url, "POST", "/api/items", {
      token,
      body: { headline: "From an older token", topics: ["world"] },
    });
    expect(answer.status).toBe(201);
  });

  it("shows a new token once, and a revoked token stops working at once", async () => {
    const created = await call(server.url, "POST", "/api/tokens", {
      token: server.adminToken,
      body: { name: "Agency feed", role: "editor" },
    });
    expect(created.status).toBe(201);
    const { id, token } = z.object({ id: z.string(), token: z.string() }).parse(created.body);
    const body = { headline: "Via the agency", topics: ["world"] };
    expect((await call(server.url, "POST", "/api/items", { token, body })).body).toMatchObject({
      author: "Agency feed",
    });
    expect((await call(server.url, "DELETE", `/api/tokens/${id}`, { token: server.adminToken })).status).toBe(
      204,
    );
    expect((await call(server.url, "POST", "/api/items", { token, body })).status).toBe(401);
    expect((await call(server.url, "DELETE", `/api/tokens/${id}`, { token: server.adminToken })).status).toBe(
      404,
    );
  });
});
