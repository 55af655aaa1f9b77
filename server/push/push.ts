import type { Router } from "express";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Change } from "../../shared/item";
import type { Storage } from "../storage/storage";
import { alertWork } from "./alerting";
import { AlertDispatcher, type DispatchOptions } from "./dispatch";
import { pushMetrics } from "./metrics";
import { pushRoutes } from "./routes";
import { PushSender, type SenderOptions } from "./sender";
import type { PushStore, VapidKeys } from "./store";
import { makeVapidKeys } from "./vapid";

/** Web Push as configured (LIVEDESK_VAPID_*, LIVEDESK_PUSH_INSECURE_ENDPOINTS). */
export interface PushConfig {
  /** The configured key pair; when absent, the one kept in the storage (made on first start). */
  vapid?: VapidKeys | undefined;
  subject?: string | undefined;
  insecureEndpoints?: boolean;
  /** Subscribe/unsubscribe calls per address per quarter hour. */
  callsPerAddress?: number;
  /** Tests only: how long the lease on sending alerts lasts (server/push/dispatch.ts). */
  dispatch?: DispatchOptions;
  /** Tests only: the sender's waits and limits. */
  sender?: Omit<SenderOptions, "vapid" | "subject" | "insecureEndpoints">;
}

/**
 * Who the push services may contact about this sender (VAPID `sub`). Set LIVEDESK_VAPID_SUBJECT to
 * the newsroom's address: some push services refuse messages whose subject is not reachable.
 */
export const DEFAULT_VAPID_SUBJECT = "mailto:alerts@livedesk.invalid";

export interface PushAlerts {
  routes: Router;
  sender: PushSender;
  /** Every change this node releases to its readers, in seq order (the alert dispatcher follows them). */
  follow(change: Change): void;
  /** True while this node is the one sending alerts (it holds the lease). */
  sending(): boolean;
  /** Resolves once every alert of the commits so far is sent or given up (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops sending; records how far alerts went and gives the lease to the next node. */
  close(): Promise<void>;
}

/** Sets up Web Push on a storage: the key pair, the sender, alerts on commit, the routes. */
export async function startPushAlerts(
  config: PushConfig,
  deps: { store: PushStore; storage: Storage; registry: Registry; logger: Logger },
): Promise<PushAlerts> {
  const { store, storage, registry, logger } = deps;
  const vapid = config.vapid ?? (await store.vapidKeys(makeVapidKeys()));
  const insecureEndpoints = config.insecureEndpoints ?? false;
  if (insecureEndpoints)
    logger.warn("push endpoints on http and private addresses are accepted (tests only)");
  const metrics = pushMetrics(registry, () => store.countSubscriptions());
  const sender = new PushSender(
    { ...config.sender, vapid, subject: config.subject ?? DEFAULT_VAPID_SUBJECT, insecureEndpoints },
    metrics,
    logger,
    (endpoint) => store.deleteSubscription(endpoint),
  );
  const dispatcher = new AlertDispatcher(
    store,
    storage,
    alertWork(storage, store, sender, logger),
    logger,
    (holding) => metrics.holding.set(holding ? 1 : 0),
    config.dispatch,
  );
  await dispatcher.start();
  const routes = pushRoutes(vapid.publicKey, store, storage, {
    insecureEndpoints,
    ...(config.callsPerAddress === undefined ? {} : { callsPerAddress: config.callsPerAddress }),
  });
  return {
    routes,
    sender,
    follow: (change) => dispatcher.follow(change),
    sending: () => dispatcher.isHolding(),
    async idle() {
      await dispatcher.idle();
      await sender.idle();
    },
    async close() {
      // Whatever is still queued stays owed: the cursor given back stops before it.
      const released = dispatcher.close();
      sender.close();
      await released;
    },
  };
}
