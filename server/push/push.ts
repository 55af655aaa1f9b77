import type { Router } from "express";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import webpush from "web-push";
import type { Storage } from "../storage/storage";
import type { Timeline } from "../timeline/timeline";
import { sendAlertsOnCommit } from "./alerting";
import { pushMetrics } from "./metrics";
import { pushRoutes } from "./routes";
import { PushSender, type SenderOptions } from "./sender";
import type { PushStore, VapidKeys } from "./store";

/** Web Push as configured (LIVEDESK_VAPID_*, LIVEDESK_PUSH_INSECURE_ENDPOINTS). */
export interface PushConfig {
  /** The configured key pair; when absent, the one kept in the storage (made on first start). */
  vapid?: VapidKeys | undefined;
  subject?: string | undefined;
  insecureEndpoints?: boolean;
  /** Subscribe/unsubscribe calls per address per quarter hour. */
  callsPerAddress?: number;
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
  /** Resolves once every alert of the commits so far is sent or given up (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

/** Sets up Web Push on a storage: the key pair, the sender, alerts on commit, the routes. */
export async function startPushAlerts(
  config: PushConfig,
  deps: { store: PushStore; storage: Storage; timeline: Timeline; registry: Registry; logger: Logger },
): Promise<PushAlerts> {
  const { store, storage, timeline, registry, logger } = deps;
  const vapid = config.vapid ?? (await store.vapidKeys(webpush.generateVAPIDKeys()));
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
  const alerting = sendAlertsOnCommit(timeline, storage, store, sender, logger);
  const routes = pushRoutes(vapid.publicKey, store, storage, {
    insecureEndpoints,
    ...(config.callsPerAddress === undefined ? {} : { callsPerAddress: config.callsPerAddress }),
  });
  return {
    routes,
    sender,
    idle: () => alerting.idle(),
    close() {
      alerting.stop();
      sender.close();
    },
  };
}
