import type { Change } from "../../shared/item";
import type { TimelineStore } from "../storage/timeline-store";

/** Where a node reads the changes it missed: the storage, which holds every committed change. */
export type ChangeLog = Pick<TimelineStore, "changesSince" | "latestSeq">;

export interface SequencerOptions {
  /** How long a gap may stay open before the missing changes are read from storage. */
  gapWaitMs?: number;
  /** How often the node compares what it released with the storage's latest seq. */
  checkEveryMs?: number;
  /** Changes read from storage per round trip while catching up. */
  fetchLimit?: number;
  /** Told once when a catch-up read fails, and again only after one has succeeded. */
  onFetchError?: (error: unknown) => void;
}

/**
 * Releases every committed change to this node's readers, once and in seq order, whatever the
 * fan-out does. Commits finish out of order and Redis may lose, delay or replay messages, so a
 * change waits here until the ones before it are out, and a duplicate (the node's own commit
 * coming back through Redis, a replay after a stall) is dropped by its seq.
 *
 * Nothing is ever skipped: a gap still open `gapWaitMs` after it opened is closed by reading the
 * missing changes from storage. The timer is armed when the gap opens and not again on later
 * pushes, so a steady stream of changes after the gap cannot postpone it for ever. A lost tail
 * (changes committed while the fan-out was away, nothing after them) leaves no gap to see, so the
 * node also compares its last released seq with the storage's every `checkEveryMs`, and on
 * `catchUp()` (after Redis reconnects): a seq that storage had at the previous check and that is
 * still not released is fetched.
 */
export class ChangeSequencer {
  private next: number;
  private readonly waiting = new Map<number, Change>();
  private gapTimer: NodeJS.Timeout | undefined;
  private readonly checkTimer: NodeJS.Timeout;
  /** The storage's latest seq at the previous check. */
  private storageSeq = 0;
  /** Since when this node has not released `storageSeq`, as of a check. */
  private behindSince: number | undefined;
  private fetching: Promise<void> | undefined;
  private fetchFailing = false;
  private closed = false;
  private readonly gapWaitMs: number;
  private readonly fetchLimit: number;
  private readonly checkEveryMs: number;

  constructor(
    lastSeq: number,
    private readonly log: ChangeLog,
    private readonly release: (change: Change) => void,
    private readonly options: SequencerOptions = {},
  ) {
    this.next = lastSeq + 1;
    this.storageSeq = lastSeq;
    this.gapWaitMs = options.gapWaitMs ?? 500;
    this.fetchLimit = options.fetchLimit ?? 1000;
    this.checkEveryMs = options.checkEveryMs ?? 500;
    this.checkTimer = setInterval(() => void this.check(), this.checkEveryMs);
    this.checkTimer.unref();
  }

  /** The seq of the last change released to readers. */
  lastReleasedSeq(): number {
    return this.next - 1;
  }

  /**
   * How far the broadcast lags storage, when it has not released what storage held two checks
   * ago (a change in flight through the fan-out is not lag); undefined while the node keeps up.
   * `storage` is the storage's latest seq as last read.
   */
  lagging(): { released: number; storage: number } | undefined {
    if (this.behindSince === undefined || Date.now() - this.behindSince < 2 * this.checkEveryMs)
      return undefined;
    return { released: this.lastReleasedSeq(), storage: this.storageSeq };
  }

  push(change: Change): void {
    if (this.closed || change.seq < this.next) return;
    this.waiting.set(change.seq, change);
    this.drain();
  }

  /** Reads from storage and releases every change this node has not released yet. */
  catchUp(): Promise<void> {
    this.fetching ??= this.fetchMissing().finally(() => {
      this.fetching = undefined;
      this.drain();
    });
    return this.fetching;
  }

  private drain(): void {
    for (
      let change = this.waiting.get(this.next);
      change !== undefined;
      change = this.waiting.get(this.next)
    ) {
      this.waiting.delete(this.next);
      this.next += 1;
      this.release(change);
    }
    if (this.lastReleasedSeq() >= this.storageSeq) this.behindSince = undefined;
    if (this.waiting.size === 0) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    } else if (this.gapTimer === undefined && this.fetching === undefined && !this.closed) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        void this.catchUp();
      }, this.gapWaitMs);
    }
  }

  private async fetchMissing(): Promise<void> {
    try {
      for (;;) {
        if (this.closed) return;
        const since = this.lastReleasedSeq();
        const changes = await this.log.changesSince(since, this.fetchLimit);
        for (const change of changes) this.push(change);
        this.fetchFailing = false;
        // Fewer than asked for: storage has nothing more. Otherwise the next page.
        if (changes.length < this.fetchLimit || this.lastReleasedSeq() === since) return;
      }
    } catch (error) {
      this.failed(error);
    }
  }

  /** A catch-up when storage is ahead of what was released by at least one check's time. */
  private async check(): Promise<void> {
    if (this.closed) return;
    const behind = this.storageSeq > this.lastReleasedSeq();
    try {
      this.storageSeq = await this.log.latestSeq();
      if (this.lastReleasedSeq() >= this.storageSeq) this.behindSince = undefined;
      else this.behindSince ??= Date.now();
    } catch (error) {
      this.failed(error);
      return;
    }
    if (behind) await this.catchUp();
  }

  private failed(error: unknown): void {
    if (!this.fetchFailing) this.options.onFetchError?.(error);
    this.fetchFailing = true;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.gapTimer);
    clearInterval(this.checkTimer);
  }
}
