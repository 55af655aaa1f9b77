import { createApp, DEFAULT_CLIENT_DIR } from "./app";
import { loadConfig } from "./config";
import { startDemoWire } from "./demo/wire";
import { createLogger } from "./logger";
import { PgStorage } from "./storage/postgres/pg-storage";
import { SqliteStorage } from "./storage/sqlite/sqlite-storage";
import type { Storage } from "./storage/storage";

/** Reads the environment, opens the storage and serves until SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  if (config.redisUrl !== undefined) {
    throw new Error("REDIS_URL: fan-out through Redis is not part of this build yet; leave it unset.");
  }
  let storage: Storage;
  if (config.database.kind === "postgres") {
    storage = await PgStorage.open(config.database.url);
    logger.info("opened PostgreSQL storage");
  } else {
    storage = SqliteStorage.open(config.database.file);
    logger.info({ file: config.database.file }, "opened SQLite storage");
  }

  const livedesk = await createApp(
    {
      clientDir: DEFAULT_CLIENT_DIR,
      allowedOrigins: config.allowedOrigins,
      frameAncestors: config.frameAncestors,
    },
    { storage, logger },
  );
  const admin = await livedesk.auth.bootstrapAdmin(config.adminPassword);
  if (admin.generatedPassword !== undefined) {
    // Printed once, on the console only: it is never stored in clear and never logged again.
    process.stdout.write(
      `\nlivedesk created operator "admin" with the password:\n\n    ${admin.generatedPassword}\n\nLog in at /admin and keep it safe; it will not be shown again.\n\n`,
    );
  } else if (admin.created) {
    logger.info("created operator admin with LIVEDESK_ADMIN_PASSWORD");
  }
  const stopDemo = config.demo
    ? await startDemoWire(storage, livedesk.timeline, logger, config.demoIntervalMs)
    : () => {};

  const address = await livedesk.listen(config.port, config.host);
  logger.info(
    { port: address.port, host: address.address },
    `livedesk is serving on http://localhost:${address.port}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    stopDemo();
    const deadline = setTimeout(() => process.exit(1), 10_000);
    deadline.unref();
    await livedesk.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `livedesk could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
