/**
 * `npm run renew-epoch`: the last step of restoring a backup, run with every node stopped and the
 * same `DATABASE_URL` as the server. The restored database gives out again the seqs the lost
 * changes had; a new epoch makes every reader that kept one of them take the latest window
 * instead of the new changes at those seqs (docs/protocol.md, "Epoch").
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
