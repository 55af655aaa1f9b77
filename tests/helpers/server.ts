import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { type AppConfig, createApp, type LivedeskApp } from "../../server/app";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";

export interface TestServer {
  url: string;
  livedesk: LivedeskApp;
  storage: SqliteStorage;
  /** The SQLite file, for a test that reaches around the storage. */
  file: string;
  /** A bearer token with the admin role. */
  adminToken: string;
  /** A bearer token with the editor role. */
  editorToken: string;
  /** Topics `world`, `politics` and `sport` exist. */
  close(): Promise<void>;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "livedesk-test-"));
}

/**
 * Wire settings for a test that polls by hand ("poll now") and so knows what each poll did: the
 * poller's own tick is an hour, never within a test, and a fetch gives up after 1.5 s.
 */
export const WIRES_POLLED_BY_HAND = { tickMs: 3_600_000, fetchTimeoutMs: 1500 };

/**
 * The real server on a free port with a fresh SQLite file, tokens for both roles and three topics;
 * `config` adds to the app's configuration (no dashboard unless `clientDir` names a folder with an
 * index.html, for a test of the pages).
 */
export async function startTestServer(
  config: Omit<AppConfig, "clientDir"> & { clientDir?: string } = {},
): Promise<TestServer> {
  const dir = tempDir();
  const file = path.join(dir, "livedesk.db");
  const storage = SqliteStorage.open(file);
  const livedesk = await createApp(
    { ...config, clientDir: config.clientDir ?? path.join(dir, "no-client") },
    {
      storage,
      push: storage.push(),
      logger: pino({ level: "silent" }),
      wires: storage.wires(),
      media: storage.media(),
    },
  );
  const { port } = await livedesk.listen(0, "127.0.0.1");
  const adminToken = (await livedesk.auth.createToken("test admin", "admin")).token;
  const editorToken = (await livedesk.auth.createToken("test wire", "editor")).token;
  for (const [slug, name] of [
    ["world", "World"],
    ["politics", "Politics"],
    ["sport", "Sport"],
  ] as const) {
    await storage.createTopic({ slug, name });
  }
  return {
    url: `http://127.0.0.1:${port}`,
    livedesk,
    storage,
    file,
    adminToken,
    editorToken,
    async close() {
      await livedesk.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
