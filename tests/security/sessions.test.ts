import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionSchema } from "../../shared/requests";
import { call } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.livedesk.auth.createOperator("ana", "ana-password-1", "editor");
});
afterAll(async () => {
  await server.close();
});

async function login() {
  const response = await fetch(`${server.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "ana", password: "ana-password-1" }),
  });
  const { csrfToken } = sessionSchema.parse(await response.json());
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { cookie, csrfToken };
}

function operatorSocket(cookie: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(server.url, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { cookie },
    });
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

function disconnected(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once("disconnect", resolve));
}

describe("sessions", () => {
  it("gives every login a new session id", async () => {
    const first = await login();
    const second = await login();
    expect(first.cookie).not.toBe(second.cookie);
    expect(first.csrfToken).not.toBe(second.csrfToken);
  });

  it("ends the session on the server at logout and closes that session's sockets, not others", async () => {
    const session = await login();
    const other = await login();
    const socket = await operatorSocket(session.cookie);
    const otherSocket = await operatorSocket(other.cookie);
    const gone = disconnected(socket);
    const out = await call(server.url, "DELETE", "/api/session", {
      headers: { cookie: session.cookie, "x-csrf-token": session.csrfToken },
    });
    expect(out.status).toBe(204);
    expect(await gone).toBe("io server disconnect");
    expect(otherSocket.connected).toBe(true);
    expect(
      (await call(server.url, "GET", "/api/session", { headers: { cookie: session.cookie } })).status,
    ).toBe(401);
    otherSocket.close();
  });

  it("shuts a disabled operator out at once, sockets included", async () => {
    const session = await login();
    const socket = await operatorSocket(session.cookie);
    const gone = disconnected(socket);
    await call(server.url, "PATCH", "/api/operators/ana", {
      token: server.adminToken,
      body: { disabled: true },
    });
    expect(await gone).toBe("io server disconnect");
    const publish = await call(server.url, "POST", "/api/items", {
      headers: { cookie: session.cookie, "x-csrf-token": session.csrfToken },
      body: { headline: "Should not land", topics: ["world"] },
    });
    expect(publish.status).toBe(401);
    await call(server.url, "PATCH", "/api/operators/ana", {
      token: server.adminToken,
      body: { disabled: false },
    });
  });
});
