import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { PollResult } from "../../shared/wires";
import type { Timeline } from "../timeline/timeline";
import { WireError } from "./errors";
import { fetchWire } from "./fetch";
import { ingest } from "./ingest";
import type { WireMetrics } from "./metrics";
import { adaptiveIntervalSeconds, nextAfterFailure, nextAfterSuccess, WIRE_FAILURES_MAX } from "./schedule";
import type { FetchRecord, SourceRecord, WireStore } from "./store";

/*
 * Follows the wires: every node runs a poller, and the lease in the database makes sure that one
 * node at a time fetches a given source. A wire's failure, whatever it is, ends on its own row as
 * `lastError`; it never reaches the rest of the server.
 */

export interface PollerOptions {
  /** How often the poller looks for due sources. */
  tickMs?: number;
  /** Fetches at once on this node. */
  concurrency?: number;
  /** Per fetch (tests shorten it; never above WIRE_FETCH_TIMEOUT_MS). */
  fetchTimeoutMs?: number;
  maxBytes?: number;
  now?: () => Date;
  random?: () => number;
}

/** A source is "being polled" elsewhere. */
export class SourceBusyError extends Error {}

/** A lease outlives the longest fetch and the writing of its entries. */
const LEASE_MS = 2 * 60 * 1000;

export class WirePoller {
  private readonly owner = randomUUID();
  private readonly tickMs: number;
  private readonly concurrency: number;
  private readonly now: () => Date;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<unknown>>();
  /** The fetch last started per host: a host gets one fetch at a time from this node. */
  private readonly hosts = new Map<string, Promise<unknown>>();
  private ticking = false;
  private closed = false;

  constructor(
    private readonly store: WireStore,
    private readonly timeline: Timeline,
    private readonly logger: Logger,
    private readonly metrics: WireMetrics,
    private readonly onHeld: () => void,
    private readonly options: PollerOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 1000;
    this.concurrency = options.concurrency ?? 4;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** Stops taking sources and waits (up to `graceMs`) for fetches under way to record their outcome. */
  async close(graceMs = 2000): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((r) => setTimeout(r, graceMs).unref()),
    ]);
  }

  private leaseUntil(): string {
    return new Date(this.now().getTime() + LEASE_MS).toISOString();
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    const free = this.concurrency - this.running.size;
    if (free <= 0) return;
    this.ticking = true;
    try {
      const now = this.now().toISOString();
      for (const source of await this.store.claimDue(this.owner, now, this.leaseUntil(), free)) {
        this.track(this.poll(source));
      }
    } catch (error) {
      this.logger.warn({ err: error }, "could not look for wires to fetch");
    } finally {
      this.ticking = false;
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
    return work;
  }

  /** Fetches one source now, whatever its schedule; SourceBusyError when another fetch of it is under way. */
  async pollNow(id: string): Promise<PollResult | null> {
    const source = await this.store.claim(id, this.owner, this.now().toISOString(), this.leaseUntil());
    if (source === null) {
      if ((await this.store.getSource(id)) === null) return null;
      throw new SourceBusyError("The wire is being fetched right now; try again in a moment.");
    }
    return this.track(this.poll(source));
  }

  /** Waits for the host's previous fetch from this node, then runs `work`. */
  private async oneAtATime<T>(url: string, work: () => Promise<T>): Promise<T> {
    const host = new URL(url).host;
    const before = this.hosts.get(host) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.catch(() => {});
    this.hosts.set(host, settled);
    void settled.then(() => {
      if (this.hosts.get(host) === settled) this.hosts.delete(host);
    });
    return mine;
  }

  private async poll(source: SourceRecord): Promise<PollResult> {
    const result: PollResult = { created: 0, updated: 0, held: 0, skipped: 0 };
    const record = await this.oneAtATime(source.url, () => this.fetchAndIngest(source, result));
    try {
      await this.store.finishFetch(source.id, this.owner, record);
    } catch (error) {
      this.logger.warn({ err: error, source: source.id }, "could not record a wire's fetch");
    }
    this.metrics.fetched(source, record);
    if (record.disabledReason !== null) {
      this.logger.warn({ source: source.id, reason: record.disabledReason }, "stopped following a wire");
    }
    return result;
  }

  private async fetchAndIngest(source: SourceRecord, result: PollResult): Promise<FetchRecord> {
    const base = source.intervalSeconds ?? source.adaptiveSeconds;
    const answer = await fetchWire({
      url: source.url,
      etag: source.etag,
      lastModified: source.lastModified,
      ...(this.options.fetchTimeoutMs === undefined ? {} : { timeoutMs: this.options.fetchTimeoutMs }),
      ...(this.options.maxBytes === undefined ? {} : { maxBytes: this.options.maxBytes }),
    });
    const fetchedAt = this.now();
    const at = (seconds: number) => new Date(fetchedAt.getTime() + seconds * 1000).toISOString();
    const failure = (status: number | null, error: string, hints = answer.hints): FetchRecord => {
      const failures = source.consecutiveErrors + 1;
      const disabledReason =
        status === 410
          ? "The wire answered 410 Gone: it has been taken down for good."
          : failures >= WIRE_FAILURES_MAX
            ? `It failed ${failures} times in a row; the last time: ${error}`
            : null;
      return {
        fetchedAt: fetchedAt.toISOString(),
        status,
        error,
        succeeded: false,
        consecutiveErrors: failures,
        nextFetchAt: at(nextAfterFailure(base, failures, hints, this.random)),
        etag: null,
        lastModified: null,
        adaptiveSeconds: source.adaptiveSeconds,
        entriesCreated: 0,
        disabledReason,
      };
    };
    if (answer.kind === "failed") return failure(answer.status, answer.error);
    const success = (ttlSeconds: number | null, adaptiveSeconds: number): FetchRecord => ({
      fetchedAt: fetchedAt.toISOString(),
      status: answer.status,
      error: null,
      succeeded: true,
      consecutiveErrors: 0,
      nextFetchAt: at(nextAfterSuccess(source.intervalSeconds ?? adaptiveSeconds, answer.hints, ttlSeconds)),
      etag: answer.kind === "document" ? answer.etag : source.etag,
      lastModified: answer.kind === "document" ? answer.lastModified : source.lastModified,
      adaptiveSeconds,
      entriesCreated: result.created + result.held,
      disabledReason: null,
    });
    if (answer.kind === "not-modified") return success(null, source.adaptiveSeconds);
    try {
      // The parsers load on the first fetch that needs them, not at every start of a node.
      const { parseWire } = await import("./parse");
      const document = parseWire(answer.text);
      Object.assign(
        result,
        await ingest(
          { store: this.store, timeline: this.timeline, now: this.now, onHeld: this.onHeld },
          source,
          document.entries,
        ),
      );
      const times = document.entries.flatMap((e) => (e.publishedAt === null ? [] : [e.publishedAt]));
      return success(document.ttlSeconds, adaptiveIntervalSeconds(times));
    } catch (error) {
      if (!(error instanceof WireError))
        this.logger.warn({ err: error, source: source.id }, "could not take a wire's entries");
      const message = error instanceof Error ? error.message : String(error);
      return { ...failure(answer.status, message), entriesCreated: result.created + result.held };
    }
  }
}
