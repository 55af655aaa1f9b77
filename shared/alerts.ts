/*
 * Push alerts: what the reader's dialog and the server agree on without a schema library, so the
 * reader's page can import it without pulling zod in (the schemas are in push.ts).
 */

/**
 * The thresholds a reader can pick, as the lowest ninjs urgency still sent (1 is highest): flash
 * only, alerts and flashes, or every breaking item (urgency 1–3).
 */
export const ALERT_THRESHOLDS = [
  { minUrgency: 1, label: "Flashes only" },
  { minUrgency: 2, label: "Alerts and flashes" },
  { minUrgency: 3, label: "Every breaking item" },
] as const;

/** The lowest urgency a reader may subscribe to: 3, every breaking item. */
export const ALERT_URGENCY_MAX = 3;

/** Where the service worker that shows alerts is served (its scope is the whole site). */
export const ALERTS_WORKER_URL = "/alerts-sw.js";
