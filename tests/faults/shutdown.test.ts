import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { setUpDesk } from "../helpers/admin";
import { call } from "../helpers/http";
import { spawnServer } from "../helpers/process";
import { tempDir } from "../helpers/server";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * A reader as a raw websocket: it completes the Engine.IO and Socket.IO handshakes, so the server
 * counts it as a reader and writes every change to it, and then stops reading.
 */
async function readerThatStopsReading(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
  await new Promise<void>((resolve, reject) => {
    ws.once("error", reject);
    ws.on("message", (data) => {
      const packet = data.toString();
      if (packet.startsWith("0{")) ws.send("40"); // Engine.IO open → join the default namespace
      if (packet.startsWith("40")) resolve(); // Socket.IO connected
    });
  });
  ws.on("error", () => {});
  // From here on, nothing is read from the connection: the kernel's buffers fill, then the server's.
  ws.pause();
  return ws;
}

describe("SIGTERM with a reader that stopped reading", () => {
  it("cuts the reader's websocket after a short grace and exits 0 within 10 s, its log written out", async () => {
    const env = {
      DATABASE_URL: `sqlite:${path.join(dir, "livedesk.db")}`,
      LIVEDESK_ADMIN_PASSWORD: "shutdown-admin-password",
    };
    const logFile = path.join(dir, "server.log");
    const server = await spawnServer(env, [], { logFile });
    const { editorToken } = await setUpDesk(server.url, env.LIVEDESK_ADMIN_PASSWORD);
    const stuck = await Promise.all([readerThatStopsReading(server.url), readerThatStopsReading(server.url)]);

    // Many changes, each a few KB, written to readers that take none of them.
    const summary = "A long summary that fills the socket buffers. ".repeat(80);
    for (let batch = 0; batch < 10; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call(server.url, "POST", "/api/items", {
            token: editorToken,
            body: { headline: `Unread ${batch}-${i}`, summary, topics: ["world"] },
          }),
        ),
      );
      expect(answers.every((answer) => answer.status === 201)).toBe(true);
    }
    // Still publishing while the signal arrives.
    const more = Array.from({ length: 20 }, (_, i) =>
      call(server.url, "POST", "/api/items", {
        token: editorToken,
        body: { headline: `During shutdown ${i}`, summary, topics: ["world"] },
      }).catch(() => null),
    );

    const started = Date.now();
    server.child.kill("SIGTERM");
    const code = await server.exited;
    const took = Date.now() - started;
    await Promise.all(more);
    for (const ws of stuck) ws.terminate();

    expect(code).toBe(0);
    expect(took).toBeLessThan(10_000);
    const lines = fs.readFileSync(logFile, "utf8").trim().split("\n");
    expect(lines.at(-1)).toContain('"msg":"stopped"');
  });
});
