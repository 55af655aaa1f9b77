import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Change } from "../shared/item";

/**
 * What ops watch, in Prometheus' text format at `/metrics`: connected readers, changes published,
 * the time from a change's commit to its broadcast on this node, storage errors, and the
 * process's own figures (event-loop delay among them).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly changes: Counter<"kind">;
  private readonly latency: Histogram;
  readonly storageErrors: Counter;
  readonly unhandledRejections: Counter;

  constructor(connectedReaders: () => number) {
    // The event-loop delay is sampled every 100 ms: at Node's 10 ms its timer alone woke an idle
    // node 100 times a second, most of what such a node spent. A stall that matters (tens of ms
    // and up) still shows in the percentiles.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
    new Gauge({
      name: "livedesk_connected_readers",
      help: "Socket.IO connections on this node.",
      registers: [this.registry],
      collect() {
        this.set(connectedReaders());
      },
    });
    this.changes = new Counter({
      name: "livedesk_changes_broadcast_total",
      help: "Changes broadcast to this node's readers, by kind.",
      labelNames: ["kind"],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: "livedesk_publish_to_broadcast_seconds",
      help: "From a change's commit (its updatedAt) to its broadcast on this node.",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.storageErrors = new Counter({
      name: "livedesk_storage_errors_total",
      help: "Storage calls that failed.",
      registers: [this.registry],
    });
    this.unhandledRejections = new Counter({
      name: "livedesk_unhandled_rejections_total",
      help: "Promises that failed with nothing to handle the failure: each one is a bug to fix.",
      registers: [this.registry],
    });
  }

  broadcast(change: Change): void {
    this.changes.inc({ kind: change.kind });
    this.latency.observe(Math.max(0, Date.now() - Date.parse(change.item.updatedAt)) / 1000);
  }

  /** The same storage (or a store of its), counting every call that fails. */
  countErrors<T extends object>(storage: T): T {
    const errors = this.storageErrors;
    return new Proxy(storage, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const result: unknown = Reflect.apply(value, target, args);
          if (result instanceof Promise) {
            return result.catch((error: unknown) => {
              errors.inc();
              throw error;
            });
          }
          return result;
        };
      },
    });
  }
}
