import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Duplex } from "node:stream";
import express, { type Express } from "express";
import type { Logger } from "pino";
import { Server } from "socket.io";
import { SOCKET_MESSAGE_MAX_BYTES } from "../shared/limits";
import { Admin } from "./admin/admin";
import { adminRoutes } from "./admin/routes";
import { Auth } from "./auth/auth";
import { Guard } from "./auth/guard";
import { authRoutes, type LoginLimits } from "./auth/routes";
import { embedRoutes } from "./embeds/routes";
import { type Fanout, LocalFanout } from "./fanout/fanout";
import { feedRoutes } from "./feeds/routes";
import { WebSubPublisher } from "./feeds/websub";
import { apiInput } from "./http/body";
import { errorHandler, HttpError } from "./http/errors";
import { readinessChecks } from "./http/readiness";
import { requestLog } from "./http/request-log";
import { originAllowed, refuseForeignOrigins, type SecurityConfig, securityHeaders } from "./http/security";
import { importRoutes } from "./import/routes";
import { MediaMetrics } from "./media/metrics";
import { RENDITIONS_MAX_BYTES, Renditions } from "./media/renditions";
import { mediaRoutes } from "./media/routes";
import type { MediaStore } from "./media/store";
import { Metrics } from "./metrics";
import { ninjsRoutes } from "./ninjs/routes";
import { pageRoutes } from "./pages/routes";
import { attachPanelSocket, OPERATORS_ROOM } from "./panel/socket";
import { projectRoot } from "./project-root";
import { type PushAlerts, type PushConfig, startPushAlerts } from "./push/push";
import type { PushStore } from "./push/store";
import type { Storage } from "./storage/storage";
import { DEFAULT_SOCKET_BUFFER_MAX_BYTES, limitSlowReaders } from "./timeline/backpressure";
import { RecentChanges } from "./timeline/recent";
import { timelineRoutes } from "./timeline/routes";
import { ChangeSequencer, type SequencerOptions } from "./timeline/sequencer";
import { attachTimelineSocket, type LivedeskServer } from "./timeline/socket";
import { Timeline } from "./timeline/timeline";
import { topicRoutes } from "./topics/routes";
import { WireMetrics } from "./wires/metrics";
import { type PollerOptions, WirePoller } from "./wires/poller";
import { wireRoutes } from "./wires/routes";
import type { WireStore } from "./wires/store";

export interface AppConfig extends Partial<SecurityConfig> {
  /** Folder of the built dashboard (`vite build`); pages answer 503 while it is missing. */
  clientDir: string;
  /** Bytes the server may hold for one slow reader before it disconnects them. */
  socketBufferMaxBytes?: number;
  loginLimits?: LoginLimits;
  /** A WebSub hub (`LIVEDESK_WEBSUB_HUB`): the feeds advertise it, and it is pinged after commits. */
  websubHub?: string | undefined;
  /** The site's origin (`LIVEDESK_PUBLIC_URL`) the pages' meta name; unset: the request's. */
  publicUrl?: string | undefined;
  /** Tests only: how the sequencer waits on gaps and checks storage (defaults in sequencer.ts). */
  sequencer?: Pick<SequencerOptions, "gapWaitMs" | "checkEveryMs">;
  /** How this node follows wires (tests shorten the poller's tick and the fetch deadline). */
  wires?: PollerOptions;
  /** Web Push alerts for readers (used when `deps.push` is given). */
  push?: PushConfig;
}

export interface AppDeps {
  storage: Storage;
  logger: Logger;
  /** How changes reach the other nodes; one node alone needs none. */
  fanout?: Fanout & { adapter?: () => Parameters<LivedeskServer["adapter"]>[0] };
  /** Where followed wires are kept; without it this node neither follows wires nor serves their API. */
  wires?: WireStore;
  /** Where readers' push subscriptions are kept; without it the push calls answer 503. */
  push?: PushStore;
  /** Where uploaded pictures are kept; without it the media calls answer 503 and items take no image. */
  media?: MediaStore;
}

export interface LivedeskApp {
  app: Express;
  httpServer: HttpServer;
  io: LivedeskServer;
  timeline: Timeline;
  auth: Auth;
  admin: Admin;
  metrics: Metrics;
  /** Web Push alerts, when the app was given a push store. */
  push: PushAlerts | undefined;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(graceMs?: number): Promise<void>;
}

/** The dashboard as `npm run build` makes it, whether the server runs from source or compiled. */
export const DEFAULT_CLIENT_DIR = path.join(projectRoot(import.meta.dirname), "dist", "client");

/** At shutdown, how long websockets get to take their goodbye before their connections are cut. */
const SOCKET_GRACE_MS = 1000;
/** At shutdown, how long queued push alerts get to go out. */
const PUSH_GRACE_MS = 1000;
/** At shutdown, how long the fan-out and the storage each get to close. */
const DEPENDENCY_CLOSE_MS = 1500;

/** True when `promise` settles within `ms`, false when it does not (it is left to itself). */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settle = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settle, settle);
  });
}

/** Idempotency keys are kept a day and an hour, so a retry within 24 hours is always recognised. */
const IDEMPOTENCY_KEY_TTL_MS = 25 * 60 * 60 * 1000;

/** Builds the HTTP API, the Socket.IO server and the pages on one storage. Does not listen. */
export async function createApp(config: AppConfig, deps: AppDeps): Promise<LivedeskApp> {
  const { logger } = deps;
  let connected = () => 0;
  const metrics = new Metrics(() => connected());
  const storage = metrics.countErrors(deps.storage);
  const fanout = deps.fanout ?? new LocalFanout();
  const media = deps.media === undefined ? undefined : metrics.countErrors(deps.media);
  const timeline = new Timeline(storage, { media });
  const auth = new Auth(storage);
  const admin = new Admin(storage, auth);
  const guard = new Guard(auth);

  const allowedOrigins = config.allowedOrigins ?? [];
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(requestLog(logger));
  app.use(securityHeaders({ allowedOrigins, frameAncestors: config.frameAncestors ?? [] }));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  // Set once the sequencer exists (below); until then this node has broadcast nothing.
  let broadcastSeq = () => 0;
  const readiness = readinessChecks({ storage, fanout, broadcastSeq: () => broadcastSeq() });
  app.get("/readyz", async (_req, res) => {
    const { ready, body } = await readiness();
    if (!ready) logger.warn({ checks: body.checks }, body.error?.message ?? "not ready");
    res.status(ready ? 200 : 503).json(body);
  });

  // The picture upload's body is the picture, so it comes before the API's JSON-only parsing.
  app.use("/api/media", refuseForeignOrigins(allowedOrigins));
  if (media !== undefined) {
    const mediaMetrics = new MediaMetrics(metrics.registry);
    const renditions = new Renditions(media, RENDITIONS_MAX_BYTES, (answer) => mediaMetrics.width(answer));
    // Entered only on its own two paths (a route, so the URL is not cut): every other request,
    // each publish among them, passes it by instead of walking through the router and out again.
    app.all(["/api/media", "/media/:id"], mediaRoutes(media, renditions, guard, storage, mediaMetrics));
  } else {
    app.use(["/api/media", "/media"], () => {
      throw new HttpError(503, "media_unavailable", "Pictures are not set up on this server.");
    });
  }
  app.use("/api", apiInput(refuseForeignOrigins(allowedOrigins)));
  app.use(timelineRoutes(timeline, guard));
  app.use(ninjsRoutes(timeline, storage));
  app.use(importRoutes(timeline, guard));
  app.use(topicRoutes(storage, admin, guard));
  app.use(authRoutes(auth, guard, config.loginLimits));
  app.use(adminRoutes(admin, guard, storage));
  // Set once the Socket.IO server exists (below).
  let incomingChanged = () => {};
  let poller: WirePoller | undefined;
  if (deps.wires !== undefined) {
    const wireMetrics = new WireMetrics(metrics.registry);
    poller = new WirePoller(deps.wires, timeline, logger, wireMetrics, () => incomingChanged(), config.wires);
    app.use(
      wireRoutes({
        store: deps.wires,
        poller,
        storage,
        timeline,
        guard,
        incomingChanged: () => incomingChanged(),
      }),
    );
  }
  const push =
    deps.push === undefined
      ? undefined
      : await startPushAlerts(config.push ?? {}, {
          store: metrics.countErrors(deps.push),
          storage,
          registry: metrics.registry,
          logger,
        });
  if (push !== undefined) app.use(push.routes);
  else {
    app.use("/api/push", () => {
      throw new HttpError(503, "push_unavailable", "Push alerts are not set up on this server.");
    });
  }
  app.use("/api", (req) => {
    throw new HttpError(404, "not_found", `There is no API call ${req.method} ${req.path}.`);
  });

  const websub =
    config.websubHub === undefined
      ? undefined
      : new WebSubPublisher(config.websubHub, logger, metrics.registry);
  app.use(
    feedRoutes({
      storage,
      timeline,
      registry: metrics.registry,
      hubUrl: config.websubHub,
      ...(websub === undefined ? {} : { onServe: (origin: string) => websub.served(origin) }),
    }),
  );

  app.use(embedRoutes(config.clientDir));
  app.use(express.static(config.clientDir, { index: false, maxAge: "1h" }));
  app.use(pageRoutes(timeline, config.clientDir, config.publicUrl));
  app.use(errorHandler(logger));

  const httpServer = createServer(app);
  // Upgraded connections (websockets) leave the HTTP server's bookkeeping, so closeAllConnections
  // does not reach them: they are kept here to be cut at shutdown.
  const upgraded = new Set<Duplex>();
  httpServer.on("upgrade", (_req, connection: Duplex) => {
    upgraded.add(connection);
    connection.once("close", () => upgraded.delete(connection));
  });
  const io: LivedeskServer = new Server(httpServer, {
    maxHttpBufferSize: SOCKET_MESSAGE_MAX_BYTES,
    serveClient: false,
    // A page on a foreign site must not open a socket with the reader's (or operator's) cookies.
    allowRequest: (req, callback) => callback(null, originAllowed(req, allowedOrigins)),
  });
  attachPanelSocket(io, auth, logger);
  incomingChanged = () => io.to(OPERATORS_ROOM).emit("incoming:changed");
  if (deps.fanout?.adapter !== undefined) io.adapter(deps.fanout.adapter());
  const recent = new RecentChanges(timeline);
  const socket = attachTimelineSocket(io, recent, logger, (local) => fanout.viewers(local));
  const stopLimiting = limitSlowReaders(
    io,
    logger,
    config.socketBufferMaxBytes ?? DEFAULT_SOCKET_BUFFER_MAX_BYTES,
  );
  connected = socket.readers;
  // Releases every change to this node's readers in seq order; `sequencer.lastReleasedSeq()` and
  // `sequencer.lagging()` say how far the broadcast is behind storage.
  const sequencer = new ChangeSequencer(
    await storage.latestSeq(),
    storage,
    (change) => {
      recent.record(change);
      socket.broadcast(change);
      metrics.broadcast(change);
      push?.follow(change);
    },
    {
      ...config.sequencer,
      onFetchError: (error) => logger.warn({ err: error }, "could not read missed changes from storage"),
    },
  );
  broadcastSeq = () => sequencer.lastReleasedSeq();
  // The node's own commits go straight to its readers: they never wait for the fan-out.
  timeline.onChange((change) => {
    sequencer.push(change);
    fanout.publish(change);
    websub?.changed(change);
  });
  fanout.onChange((change) => sequencer.push(change));
  fanout.onResume(() => void sequencer.catchUp());

  const forgetKeys = () =>
    storage
      .forgetIdempotencyKeys(new Date(Date.now() - IDEMPOTENCY_KEY_TTL_MS))
      .catch((error: unknown) => logger.warn({ err: error }, "could not forget old idempotency keys"));
  const forgetTimer = setInterval(forgetKeys, 60 * 60 * 1000);
  forgetTimer.unref();
  void forgetKeys();
  poller?.start();

  return {
    app,
    httpServer,
    io,
    timeline,
    auth,
    admin,
    metrics,
    push,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          const address = httpServer.address();
          if (address === null || typeof address === "string")
            reject(new Error("not listening on a TCP port"));
          else resolve(address);
        });
      });
    },
    /**
     * Graceful: stops taking connections, tells every socket to go (clients reconnect elsewhere or
     * later), lets requests in flight finish for up to `graceMs`, then closes what is left. A
     * websocket whose reader stopped reading can never take the goodbye, so after a short grace
     * its connection is cut. Each dependency gets a deadline to close: a hung Redis or PostgreSQL
     * cannot keep the process from exiting.
     */
    async close(graceMs = 5000) {
      clearInterval(forgetTimer);
      websub?.close();
      const pollerClosed = poller?.close();
      stopLimiting();
      socket.stop();
      sequencer.close();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Closing the connections under the sockets (not a Socket.IO "disconnect", after which
      // clients stay away) makes every client reconnect with its backoff, here or elsewhere.
      io.engine.close();
      httpServer.closeIdleConnections();
      const cutWebsockets = () => {
        for (const connection of upgraded) connection.destroy();
      };
      const socketTimer = setTimeout(cutWebsockets, Math.min(SOCKET_GRACE_MS, graceMs));
      const timer = setTimeout(() => {
        httpServer.closeAllConnections();
        cutWebsockets();
      }, graceMs);
      await closed;
      clearTimeout(socketTimer);
      clearTimeout(timer);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await pollerClosed;
      // Alerts of the last commits go out if the push services answer soon; the rest stay owed
      // and the next node holding the lease sends them (server/push/dispatch.ts).
      if (push !== undefined && !(await within(push.idle(), PUSH_GRACE_MS)))
        logger.warn("push alerts still queued at shutdown are left to the next node");
      if (push !== undefined && !(await within(push.close(), DEPENDENCY_CLOSE_MS)))
        logger.warn("could not give back the push alert lease in time; it runs out by itself");
      // Side by side: neither needs the other any more, and the shutdown has a budget.
      const [fanoutClosed, storageClosed] = await Promise.all([
        within(fanout.close(), DEPENDENCY_CLOSE_MS),
        within(storage.close(), DEPENDENCY_CLOSE_MS),
      ]);
      if (!fanoutClosed) logger.warn("the fan-out did not close in time; leaving it");
      if (!storageClosed) logger.warn("the storage did not close in time; leaving it");
    },
  };
}
