import { createApp, DEFAULT_CLIENT_DIR } from "./app";
import { loadConfig } from "./config";
import { startDemoWire } from "./demo/wire";
import { RedisFanout } from "./fanout/redis-fanout";
import { createLogger } from "./logger";
import type { PushStore } from "./push/store";
import { PgStorage } from "./storage/postgres/pg-storage";
import { SqliteStorage } from "./storage/sqlite/sqlite-storage";
import type { Storage } from "./storage/storage";
import { surviveUnhandledRejections } from "./unhandled-rejections";

/** SIGTERM ends the process within this, however the shutdown goes. */
const SHUTDOWN_DEADLINE_MS = 9500;

/** Reads the environment, opens the storage and serves until SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { logger, close: closeLog, flush: flushLog } = createLogger(config.logLevel);
  let storage: Storage;
  let push: PushStore;
  if (config.database.kind === "postgres") {
    const pg = await PgStorage.open(config.database.url);
    [storage, push] = [pg, pg.push()];
    logger.info("opened PostgreSQL storage");
  } else {
    const sqlite = SqliteStorage.open(config.database.file);
    [storage, push] = [sqlite, sqlite.push()];
    logger.info({ file: config.database.file }, "opened SQLite storage");
  }

  const fanout =
    config.redisUrl === undefined ? undefined : await RedisFanout.connect(config.redisUrl, logger);
  if (fanout !== undefined) logger.info("fanning out through Redis");
  const livedesk = await createApp(
    {
      clientDir: DEFAULT_CLIENT_DIR,
      allowedOrigins: config.allowedOrigins,
      frameAncestors: config.frameAncestors,
      websubHub: config.websubHub,
      push: config.push,
    },
    { storage, push, logger, ...(fanout === undefined ? {} : { fanout }) },
  );
  surviveUnhandledRejections(logger, livedesk.metrics);
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
    // The app closes within about 8 s whatever readers and dependencies do; this is the backstop.
    const deadline = setTimeout(() => {
      logger.error("shutdown did not finish in time; exiting");
      flushLog();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    await livedesk.close();
    logger.info("stopped");
    await closeLog();
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
