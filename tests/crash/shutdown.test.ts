import fs from "node:fs";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import { itemSchema } from "../../shared/item";
import { setUpDesk } from "../helpers/admin";
import { freePort } from "../helpers/desk";
import { spawnServer } from "../helpers/process";
import { tempDir } from "../helpers/server";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("graceful shutdown of a server process", () => {
  it("answers every publish it accepted, disconnects readers, and exits 0 in time", async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: `sqlite:${path.join(dir, "livedesk.db")}`,
      LIVEDESK_ADMIN_PASSWORD: "shutdown-admin-password",
    };
    const logFile = path.join(dir, "server.log");
    const server = await spawnServer(env, [], { logFile });
    const { headers: admin } = await setUpDesk(server.url, env.LIVEDESK_ADMIN_PASSWORD);
    const headers = { ...admin, "content-type": "application/json" };

    const reader = io(server.url, { transports: ["websocket"], reconnection: false });
    await new Promise<void>((resolve) => reader.once("connect", () => resolve()));
    const readerGone = new Promise<string>((resolve) => reader.once("disconnect", resolve));

    const publishes = Array.from({ length: 30 }, (_, i) =>
      fetch(`${server.url}/api/items`, {
        method: "POST",
        headers,
        body: JSON.stringify({ headline: `Shutdown ${i}`, topics: ["world"] }),
      }).then(
        async (response) => ({ status: response.status, body: await response.json() }),
        () => ({ status: 0, body: null }),
      ),
    );
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    server.child.kill("SIGTERM");
    const answers = await Promise.all(publishes);
    expect(await server.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await readerGone).toBe("transport close");
    // Every publish either never got in (connection refused) or was answered 201: none died half-way.
    expect(answers.every((answer) => answer.status === 0 || answer.status === 201)).toBe(true);
    // And the log has a line for each answered one: lines written just before the exit are not lost.
    const logged = fs
      .readFileSync(logFile, "utf8")
      .split("\n")
      .filter((line) => line.includes('"url":"/api/items"') && line.includes('"statusCode":201'));
    expect(logged).toHaveLength(answers.filter((answer) => answer.status === 201).length);

    const again = await spawnServer(env);
    try {
      for (const answer of answers.filter((a) => a.status === 201)) {
        const item = itemSchema.parse(answer.body);
        expect((await fetch(`${again.url}/api/items/${item.id}`)).status).toBe(200);
      }
    } finally {
      again.child.kill("SIGTERM");
      await again.exited;
    }
  });
});
