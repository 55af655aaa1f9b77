/**
 * `npm run renew-epoch`: an optional last step of restoring a backup, run with every node stopped
 * and the same `DATABASE_URL` as the server. Readers that send the fingerprint of the change at
 * their seq notice a restore without it; a new epoch makes every reader take the latest window,
 * those that send none (older clients) included (docs/protocol.md, "Epoch and the change at a seq").
 */
import { loadConfig } from "./config";
import { PgStorage } from "./storage/postgres/pg-storage";
import { SqliteStorage } from "./storage/sqlite/sqlite-storage";
import type { Storage } from "./storage/storage";

async function renew(): Promise<void> {
  const { database } = loadConfig(process.env);
  const storage: Storage =
    database.kind === "postgres" ? await PgStorage.open(database.url) : SqliteStorage.open(database.file);
  try {
    const before = await storage.epoch();
    const after = await storage.renewEpoch();
    process.stdout.write(`The timeline's epoch was ${before} and is now ${after}.\n`);
  } finally {
    await storage.close();
  }
}

renew().catch((error: unknown) => {
  process.stderr.write(
    `Could not renew the epoch: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
