import { createApp, DEFAULT_CLIENT_DIR } from "./app";
import { loadConfig } from "./config";
import { startDemoWire } from "./demo/wire";
import type { RedisFanout } from "./fanout/redis-fanout";
import { createLogger } from "./logger";
import type { PushStore } from "./push/store";
import type { PgStorage } from "./storage/postgres/pg-storage";
import { SqliteStorage } from "./storage/sqlite/sqlite-storage";
import { surviveUnhandledRejections } from "./unhandled-rejections";

/** SIGTERM ends the process within this, however the shutdown goes. */
const SHUTDOWN_DEADLINE_MS = 9500;

/** Reads the environment, opens the storage and serves until SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { logger, close: closeLog, flush: flushLog } = createLogger(config.logLevel);
  let storage: PgStorage | SqliteStorage;
  // PostgreSQL's and Redis's clients are loaded only when configured: loading them is a good part
  // of a start's time, and a node on SQLite alone needs neither.
  if (config.database.kind === "postgres") {
    const { PgStorage } = await import("./storage/postgres/pg-storage");
    storage = await PgStorage.open(config.database.url);
    logger.info("opened PostgreSQL storage");
  } else {
    storage = SqliteStorage.open(config.database.file);
    logger.info({ file: config.database.file }, "opened SQLite storage");
  }
  const push: PushStore = storage.push();

  let fanout: RedisFanout | undefined;
  if (config.redisUrl !== undefined) {
    const { RedisFanout } = await import("./fanout/redis-fanout");
    fanout = await RedisFanout.connect(config.redisUrl, logger);
    logger.info("fanning out through Redis");
  }
  const livedesk = await createApp(
    {
      clientDir: DEFAULT_CLIENT_DIR,
      allowedOrigins: config.allowedOrigins,
      frameAncestors: config.frameAncestors,
      websubHub: config.websubHub,
      publicUrl: config.publicUrl,
      push: config.push,
    },
    {
      storage,
      push,
      logger,
      wires: storage.wires(),
      media: storage.media(),
      ...(fanout === undefined ? {} : { fanout }),
    },
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
