import http from "node:http";
import https from "node:https";
import type { Logger } from "pino";
import type { RequestDetails } from "web-push";
import type { Alert } from "./alerts";
import { publicOnlyLookup } from "./endpoint";
import type { PushMetrics } from "./metrics";
import type { StoredPushSubscription, VapidKeys } from "./store";

/**
 * web-push, loaded on the first message a node sends: with its encryption and signing modules it
 * is about 0.5 MB of a node's memory, which a node that never sends an alert (one that does not
 * hold the lease, or has no subscriber) should not carry.
 */
let loaded: Promise<typeof import("web-push")> | undefined;
function webPush(): Promise<typeof import("web-push")> {
  loaded ??= import("web-push").then((module) => module.default);
  return loaded;
}

/** How the sender behaves; the defaults suit production, tests shorten the waits. */
export interface SenderOptions {
  vapid: VapidKeys;
  /** VAPID `sub`: a mailto: or https: contact for the push services. */
  subject: string;
  /** Accept http and any address (LIVEDESK_PUSH_INSECURE_ENDPOINTS=1): a local push service in tests. */
  insecureEndpoints: boolean;
  /** Messages in flight at once. */
  concurrency?: number;
  /** Messages waiting at most; beyond this new ones are dropped (and counted). */
  maxWaiting?: number;
  /** Tries per message, the first included. */
  maxAttempts?: number;
  /** First wait before a retry; doubled each time, with jitter. */
  retryBaseMs?: number;
  /** Longest wait before a retry, whatever a `Retry-After` asks. */
  retryMaxMs?: number;
  /** A push service that answers nothing within this is given up on for this try. */
  timeoutMs?: number;
}

interface Delivery {
  subscription: StoredPushSubscription;
  alert: Alert;
  attempt: number;
  /** The message is worth nothing after its TTL: retries stop then. */
  expiresAt: number;
  /** Called once when the message is done with: sent, gone, refused, given up, replaced or dropped. */
  settle: () => void;
}

type Outcome =
  | { kind: "sent" }
  | { kind: "gone" }
  | { kind: "retry"; afterMs: number | undefined; why: string }
  | { kind: "failed"; why: string };

/**
 * Sends push messages off the publish path: a queue with bounded concurrency, retries with
 * backoff on 429, 5xx and network failures, and subscriptions deleted when their push service
 * says they are gone (404, 410). A message waiting for its turn is replaced by a newer one about
 * the same item for the same subscription, as the push service replaces one with the same Topic.
 */
export class PushSender {
  /** Messages waiting for their turn, by subscription and item (`endpoint\ntopic`), oldest first. */
  private readonly waiting = new Map<string, Delivery>();
  /**
   * Keys with a message in flight: the next message about the same item for the same subscription
   * waits for it, so a correction never overtakes its alert on the way to the push service (which
   * keeps the last one it got under a Topic).
   */
  private readonly sending = new Set<string>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly maxWaiting: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly options: SenderOptions,
    private readonly metrics: PushMetrics,
    private readonly logger: Logger,
    /** Called for a subscription its push service no longer knows. */
    private readonly onGone: (endpoint: string) => Promise<unknown>,
  ) {
    this.concurrency = options.concurrency ?? 8;
    this.maxWaiting = options.maxWaiting ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 60_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /**
   * Queues `alert` for `subscription`, worth sending until `expiresAt` (by default its TTL from
   * now). Never waits for the network: the promise resolves once the message is done with (sent,
   * gone, refused, given up, replaced by a newer one or dropped), and never when the sender is
   * closed first (the alert is then still owed: server/push/dispatch.ts).
   */
  send(
    subscription: StoredPushSubscription,
    alert: Alert,
    expiresAt = Date.now() + alert.ttlSeconds * 1000,
  ): Promise<void> {
    return new Promise((settle) => {
      this.put({ subscription, alert, attempt: 1, expiresAt, settle });
    });
  }

  /** Messages waiting or in flight. */
  pending(): number {
    return this.waiting.size + this.inFlight + this.retryTimers.size;
  }

  /** Resolves once nothing waits, is in flight or waits for a retry (for tests and shutdown). */
  idle(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.waiting.clear();
    this.settleIdle();
  }

  private put(delivery: Delivery): void {
    if (this.closed) return;
    const key = deliveryKey(delivery);
    const replaced = this.waiting.get(key);
    if (replaced === undefined && this.waiting.size >= this.maxWaiting) {
      this.metrics.messages.inc({ result: "dropped" });
      delivery.settle();
      return;
    }
    if (replaced !== undefined) {
      this.metrics.messages.inc({ result: "replaced" });
      replaced.settle();
    }
    this.waiting.delete(key);
    this.waiting.set(key, delivery);
    this.metrics.waiting.set(this.waiting.size);
    this.pump();
  }

  /** The next waiting message whose subscription has no message about the same item in flight. */
  private nextDelivery(): [string, Delivery] | undefined {
    for (const entry of this.waiting) {
      if (!this.sending.has(entry[0])) return entry;
    }
    return undefined;
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.concurrency) {
      const next = this.nextDelivery();
      if (next === undefined) break;
      const [key, delivery] = next;
      this.waiting.delete(key);
      this.sending.add(key);
      this.inFlight += 1;
      void this.attempt(delivery).finally(() => {
        this.inFlight -= 1;
        this.sending.delete(key);
        this.metrics.waiting.set(this.waiting.size);
        this.pump();
        this.settleIdle();
      });
    }
    this.metrics.waiting.set(this.waiting.size);
  }

  private settleIdle(): void {
    if (this.pending() !== 0 && !this.closed) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const outcome = await this.deliver(delivery);
    if (outcome.kind !== "retry") delivery.settle();
    const endpoint = delivery.subscription.endpoint;
    switch (outcome.kind) {
      case "sent":
        this.metrics.messages.inc({ result: "sent" });
        return;
      case "gone":
        this.metrics.messages.inc({ result: "gone" });
        await this.onGone(endpoint).catch((error: unknown) =>
          this.logger.warn({ err: error }, "could not delete a push subscription its push service forgot"),
        );
        return;
      case "failed":
        this.metrics.messages.inc({ result: "failed" });
        this.logger.warn({ host: hostOf(endpoint), why: outcome.why }, "push message refused");
        return;
      case "retry": {
        const backoff = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (delivery.attempt - 1));
        // Full jitter spreads the retries of many subscriptions on one push service.
        const waitMs = Math.min(
          this.retryMaxMs,
          outcome.afterMs ?? backoff / 2 + Math.random() * (backoff / 2),
        );
        if (
          delivery.attempt >= this.maxAttempts ||
          Date.now() + waitMs >= delivery.expiresAt ||
          this.closed
        ) {
          this.metrics.messages.inc({ result: "failed" });
          this.logger.warn(
            { host: hostOf(endpoint), why: outcome.why, attempts: delivery.attempt },
            "push message given up",
          );
          if (!this.closed) delivery.settle();
          return;
        }
        this.metrics.messages.inc({ result: "retried" });
        const timer = setTimeout(() => {
          this.retryTimers.delete(timer);
          this.put({ ...delivery, attempt: delivery.attempt + 1 });
          this.settleIdle();
        }, waitMs);
        timer.unref();
        this.retryTimers.add(timer);
        return;
      }
    }
  }

  /** One try: the message encrypted and signed by web-push, posted here (so the address check holds on connect). */
  private async deliver(delivery: Delivery): Promise<Outcome> {
    const { subscription, alert } = delivery;
    const webpush = await webPush();
    let details: RequestDetails;
    try {
      details = webpush.generateRequestDetails(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        JSON.stringify(alert.message),
        {
          vapidDetails: { subject: this.options.subject, ...this.options.vapid },
          contentEncoding: "aes128gcm",
          TTL: Math.max(0, Math.round((delivery.expiresAt - Date.now()) / 1000)),
          urgency: alert.pushUrgency,
          topic: alert.topic,
        },
      );
    } catch (error) {
      // A subscription whose keys cannot be encrypted to can never be sent to.
      return { kind: "failed", why: error instanceof Error ? error.message : String(error) };
    }
    let status: number;
    let retryAfter: string | undefined;
    try {
      ({ status, retryAfter } = await this.post(details));
    } catch (error) {
      return {
        kind: "retry",
        afterMs: undefined,
        why: error instanceof Error ? error.message : String(error),
      };
    }
    if (status >= 200 && status < 300) return { kind: "sent" };
    if (status === 404 || status === 410) return { kind: "gone" };
    if (status === 429 || status >= 500)
      return { kind: "retry", afterMs: retryAfterMs(retryAfter), why: `HTTP ${status}` };
    return { kind: "failed", why: `HTTP ${status}` };
  }

  private post(details: RequestDetails): Promise<{ status: number; retryAfter: string | undefined }> {
    const url = new URL(details.endpoint);
    const client = url.protocol === "http:" && this.options.insecureEndpoints ? http : https;
    return new Promise((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: "POST",
          headers: details.headers,
          timeout: this.timeoutMs,
          ...(this.options.insecureEndpoints ? {} : { lookup: publicOnlyLookup }),
        },
        (response) => {
          // The answer's body says nothing the status does not; it is read and dropped, up to a point.
          response.resume();
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, retryAfter: response.headers["retry-after"] }),
          );
          response.on("error", reject);
        },
      );
      request.on("timeout", () => request.destroy(new Error("push service did not answer in time")));
      request.on("error", reject);
      request.end(details.body ?? undefined);
    });
  }
}

function deliveryKey(delivery: Delivery): string {
  return `${delivery.subscription.endpoint}\n${delivery.alert.topic}`;
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Logs name the push service's host, never the endpoint: the endpoint is the reader's secret. */
function hostOf(endpoint: string): string {
  return URL.canParse(endpoint) ? new URL(endpoint).host : "?";
}
