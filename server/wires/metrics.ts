import { Counter, Gauge, type Registry } from "prom-client";
import type { FetchRecord, SourceRecord } from "./store";

/**
 * Each wire's health in `/metrics`, labelled by source id: fetches, failed fetches, entries taken
 * (published or held) and the time of the last good fetch. Counted by the node that fetched.
 */
export class WireMetrics {
  private readonly fetches: Counter<"source">;
  private readonly errors: Counter<"source">;
  private readonly entries: Counter<"source">;
  private readonly lastSuccess: Gauge<"source">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.fetches = new Counter({
      name: "livedesk_wire_fetches_total",
      help: "Fetches of each followed wire.",
      labelNames: ["source"],
      registers,
    });
    this.errors = new Counter({
      name: "livedesk_wire_errors_total",
      help: "Fetches of each followed wire that failed (no answer, an error status, a document livedesk refused).",
      labelNames: ["source"],
      registers,
    });
    this.entries = new Counter({
      name: "livedesk_wire_entries_created_total",
      help: "Entries of each followed wire that became items or went to Incoming.",
      labelNames: ["source"],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: "livedesk_wire_last_success_timestamp_seconds",
      help: "When each followed wire was last fetched without error (Unix time).",
      labelNames: ["source"],
      registers,
    });
  }

  fetched(source: Pick<SourceRecord, "id">, record: FetchRecord): void {
    const labels = { source: source.id };
    this.fetches.inc(labels);
    if (!record.succeeded) this.errors.inc(labels);
    if (record.entriesCreated > 0) this.entries.inc(labels, record.entriesCreated);
    if (record.succeeded) this.lastSuccess.set(labels, Date.parse(record.fetchedAt) / 1000);
  }
}
