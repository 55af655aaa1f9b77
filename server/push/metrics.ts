import { Counter, Gauge, type Registry } from "prom-client";

/** Push alerts in `/metrics`: messages by what became of them, the queue, the subscriptions. */
export interface PushMetrics {
  messages: Counter<"result">;
  waiting: Gauge;
  /** 1 while this node holds the lease on sending alerts. */
  holding: Gauge;
}

export function pushMetrics(registry: Registry, countSubscriptions: () => Promise<number>): PushMetrics {
  new Gauge({
    name: "livedesk_push_subscriptions",
    help: "Readers' push subscriptions kept (all nodes share them).",
    registers: [registry],
    async collect() {
      // A storage that does not answer leaves the last figure; /readyz reports the storage.
      this.set(await countSubscriptions().catch(() => Number.NaN));
    },
  });
  return {
    messages: new Counter({
      name: "livedesk_push_messages_total",
      help: "Push messages by result: sent, retried (a 429, 5xx or network failure), gone (404/410: subscription deleted), failed (refused or given up), replaced (a newer one about the same item took its place), dropped (queue full).",
      labelNames: ["result"],
      registers: [registry],
    }),
    waiting: new Gauge({
      name: "livedesk_push_queue_waiting",
      help: "Push messages waiting for their turn on this node.",
      registers: [registry],
    }),
    holding: new Gauge({
      name: "livedesk_push_sending",
      help: "1 while this node is the one sending push alerts (it holds the lease), else 0.",
      registers: [registry],
    }),
  };
}
