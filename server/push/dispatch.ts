import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Change } from "../../shared/item";
import type { Storage } from "../storage/storage";
import type { AlertWork } from "./alerting";
import type { PushStore } from "./store";

/** How long the lease on sending alerts lasts unrenewed: a node that died is taken over after this. */
export const DEFAULT_DISPATCH_LEASE_MS = 10_000;
/** Changes read from the change log at once when catching up. */
const CATCH_UP_PAGE = 100;
/** How soon a settled alert's progress is written down, gathering the alerts settled meanwhile. */
const RECORD_AFTER_MS = 50;

export interface DispatchOptions {
  /** Tests shorten it; the lease is renewed four times in it. */
  leaseMs?: number;
}

/**
 * Sends the alerts of every committed change once per cluster, even when the node that committed
 * it dies before sending. The change log is the outbox: the node holding the lease (one at a
 * time, renewed in the storage) works through the changes in seq order — the ones its sequencer
 * releases, or read from the change log after a takeover — and records the seq through which
 * every alert is settled. A node that stops renewing is taken over once its lease has run out, and
 * the next holder goes on from the recorded seq. Alerts are sent at least once: after a crash,
 * the ones in flight may go again, which the reader never sees twice (the same `Topic` replaces it
 * at the push service, the same `tag` in the browser).
 */
export class AlertDispatcher {
  private readonly owner = randomUUID();
  private readonly leaseMs: number;
  private holding = false;
  /** While holding: every change through this seq has had its alert work started. */
  private startedThrough = 0;
  /** Seqs whose alert work is not settled yet. */
  private readonly unsettled = new Set<number>();
  private catchingUp: Promise<void> | undefined;
  /** A change came while catching up (or the catch-up failed): catch up again. */
  private behind = false;
  private recordTimer: NodeJS.Timeout | undefined;
  private readonly ticker: NodeJS.Timeout;
  private closed = false;
  private waiters: (() => void)[] = [];
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly store: PushStore,
    private readonly storage: Pick<Storage, "changesSince" | "latestSeq">,
    private readonly work: AlertWork,
    private readonly logger: Logger,
    private readonly onHolding: (holding: boolean) => void,
    options: DispatchOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_DISPATCH_LEASE_MS;
    this.ticker = setInterval(() => {
      // A storage slow to answer must not pile renewals up behind each other.
      if (this.ticking !== undefined) return;
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
      });
    }, this.leaseMs / 4);
    this.ticker.unref();
  }

  /** Takes the lease if it is free (on start: one node alone sends from its first commit). */
  start(): Promise<void> {
    return this.tick();
  }

  /** Every change this node's sequencer releases, in seq order. */
  follow(change: Change): void {
    if (!this.holding || this.closed) return;
    if (this.catchingUp !== undefined) {
      this.behind = true;
      return;
    }
    if (change.seq <= this.startedThrough) return;
    if (change.seq === this.startedThrough + 1) this.begin(change);
    else void this.catchUp();
  }

  /** True while this node holds the lease. */
  isHolding(): boolean {
    return this.holding;
  }

  /** Resolves once the alerts of every change committed so far are settled here (or another node holds the lease). */
  async idle(): Promise<void> {
    const target = await this.storage.latestSeq();
    while (this.holding && !this.closed && (this.startedThrough < target || this.unsettled.size > 0)) {
      if (this.startedThrough < target) void this.catchUp();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Records how far alerts are settled and gives the lease back, so another node goes on at once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.ticker);
    clearTimeout(this.recordTimer);
    this.wake();
    if (!this.holding) return;
    this.holding = false;
    this.onHolding(false);
    await this.store
      .releaseDispatch(this.owner, this.alertedThrough())
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, "could not give back the push alert lease"),
      );
  }

  /** The seq through which every change's alerts are settled. */
  private alertedThrough(): number {
    let through = this.startedThrough;
    for (const seq of this.unsettled) through = Math.min(through, seq - 1);
    return through;
  }

  private begin(change: Change): void {
    this.startedThrough = change.seq;
    this.unsettled.add(change.seq);
    void this.work(change).then((messages) => {
      if (!this.unsettled.delete(change.seq)) return;
      // Progress past a change that sent nothing is written with the next renewal: redoing it
      // after a crash sends nothing either, and the publishes need the database more.
      if (messages > 0) this.recordSoon();
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private recordSoon(): void {
    if (this.recordTimer !== undefined || this.closed) return;
    this.recordTimer = setTimeout(() => {
      this.recordTimer = undefined;
      void this.renew();
    }, RECORD_AFTER_MS);
    this.recordTimer.unref();
  }

  private until(): string {
    return new Date(Date.now() + this.leaseMs).toISOString();
  }

  /** Renews the lease and records progress; a lost lease stops this node sending. */
  private async renew(): Promise<void> {
    if (!this.holding || this.closed) return;
    try {
      if (await this.store.renewDispatch(this.owner, this.until(), this.alertedThrough())) return;
      this.logger.warn("another node took over sending push alerts");
    } catch (error) {
      this.logger.warn({ err: error }, "could not renew the push alert lease");
      // Still ours until it runs out: the next tick tries again.
      return;
    }
    this.holding = false;
    this.unsettled.clear();
    this.onHolding(false);
    this.wake();
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    if (this.holding) {
      await this.renew();
      if (this.holding && this.behind && this.catchingUp === undefined) await this.catchUp();
      return;
    }
    let from: number | null;
    try {
      from = await this.store.claimDispatch(this.owner, new Date().toISOString(), this.until());
    } catch (error) {
      this.logger.warn({ err: error }, "could not claim the push alert lease");
      return;
    }
    if (from === null || this.closed) return;
    this.logger.info({ from }, "this node sends push alerts");
    this.holding = true;
    this.startedThrough = from;
    this.onHolding(true);
    await this.catchUp();
  }

  /** Starts the alert work of every change in the log after `startedThrough`. */
  private catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        do {
          this.behind = false;
          for (;;) {
            if (!this.holding || this.closed) return;
            const changes = await this.storage.changesSince(this.startedThrough, CATCH_UP_PAGE);
            if (!this.holding || this.closed) return;
            for (const change of changes) if (change.seq > this.startedThrough) this.begin(change);
            if (changes.length < CATCH_UP_PAGE) break;
          }
        } while (this.behind);
      } catch (error) {
        this.behind = true;
        this.logger.warn({ err: error }, "could not read the changes to send push alerts for");
      } finally {
        this.catchingUp = undefined;
        this.wake();
      }
    })();
    return this.catchingUp;
  }
}
