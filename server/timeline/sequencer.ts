import type { Change } from "../../shared/item";

/**
 * Releases changes in seq order. Commits can finish out of order when storage is asynchronous;
 * readers must see them in order, so a change waits here until the ones before it are out.
 * A gap that stays open longer than `maxWaitMs` (a change committed elsewhere that this node never
 * hears of) is skipped: readers notice the gap by seq and resync.
 */
export class ChangeSequencer {
  private next: number;
  private readonly waiting = new Map<number, Change>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    lastSeq: number,
    private readonly release: (change: Change) => void,
    private readonly maxWaitMs = 1000,
  ) {
    this.next = lastSeq + 1;
  }

  push(change: Change): void {
    if (change.seq < this.next) return;
    this.waiting.set(change.seq, change);
    this.drain();
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
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.size > 0) this.timer = setTimeout(() => this.skipGap(), this.maxWaitMs);
  }

  private skipGap(): void {
    this.next = Math.min(...this.waiting.keys());
    this.drain();
  }

  close(): void {
    clearTimeout(this.timer);
  }
}
