import type { Logger } from "pino";
import { Counter, type Registry } from "prom-client";
import type { Change } from "../../shared/item";

/*
 * WebSub publishing (https://www.w3.org/TR/websub/): after each commit batch the hub is told
 * which feeds changed (`hub.mode=publish`, `hub.url=<feed>`), so that it fetches them and pushes
 * them to its subscribers. A ping never holds a publish up: changes only mark feeds as changed,
 * and one ping round runs at a time, after the turn of the event loop that committed them. A hub
 * that fails or hangs costs a log line and a count in /metrics, nothing else.
 *
 * Pinged are the feeds a subscriber can rely on: the whole timeline's and each changed topic's
 * one-topic feed, in both formats, at every origin this node has served feeds under (the hub
 * fetches what a subscriber subscribed to, which is a `rel="self"` address this node gave out).
 */

/** How long one ping may take before it counts as failed. */
const PING_TIMEOUT_MS = 10_000;
/**
 * Origins kept: a site is served under one or two names. The first ones are kept and later ones
 * ignored, so that requests with made-up Host headers cannot push the site's own name out.
 */
const ORIGINS_KEPT = 8;

export class WebSubPublisher {
  private readonly origins = new Set<string>();
  private readonly topics = new Set<string>();
  private pending = false;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly controller = new AbortController();
  private readonly pings: Counter<"result">;

  constructor(
    private readonly hubUrl: string,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.pings = new Counter({
      name: "livedesk_websub_pings_total",
      help: "WebSub publish pings sent to the hub, by result (ok, failed).",
      labelNames: ["result"],
      registers: [registry],
    });
    this.pings.inc({ result: "ok" }, 0);
    this.pings.inc({ result: "failed" }, 0);
  }

  /** A feed went out under `origin`: its subscribers' hub is told at that origin. */
  served(origin: string): void {
    if (this.origins.size < ORIGINS_KEPT) this.origins.add(origin);
  }

  /** A change this node committed: its feeds are pinged once the current batch is done. */
  changed(change: Change): void {
    if (this.closed) return;
    for (const topic of change.item.topics) this.topics.add(topic);
    if (this.pending) return;
    this.pending = true;
    // After the turn of the event loop: every change of a commit batch is in by then.
    setImmediate(() => void this.round());
  }

  private async round(): Promise<void> {
    // One round at a time; changes that arrive meanwhile start the next one when it ends.
    if (this.running !== undefined) return;
    this.pending = false;
    const topics = [...this.topics];
    this.topics.clear();
    const urls: string[] = [];
    for (const origin of this.origins) {
      for (const path of ["/feed.atom", "/feed.json"]) {
        urls.push(`${origin}${path}`);
        for (const topic of topics) urls.push(`${origin}${path}?topic=${encodeURIComponent(topic)}`);
      }
    }
    const run = this.pingAll(urls);
    this.running = run;
    await run;
    this.running = undefined;
    if (this.pending && !this.closed) void this.round();
  }

  private async pingAll(urls: readonly string[]): Promise<void> {
    for (const url of urls) {
      if (this.closed) return;
      try {
        const answer = await fetch(this.hubUrl, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ "hub.mode": "publish", "hub.url": url }).toString(),
          signal: AbortSignal.any([this.controller.signal, AbortSignal.timeout(PING_TIMEOUT_MS)]),
        });
        await answer.body?.cancel();
        if (!answer.ok) throw new Error(`the hub answered ${answer.status}`);
        this.pings.inc({ result: "ok" });
      } catch (error) {
        if (this.closed) return;
        this.pings.inc({ result: "failed" });
        this.logger.warn({ err: error, hub: this.hubUrl, feed: url }, "WebSub hub ping failed");
      }
    }
  }

  /** Stops pinging; a ping in flight is abandoned. */
  close(): void {
    this.closed = true;
    this.controller.abort();
  }
}
