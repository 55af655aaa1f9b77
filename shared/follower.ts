import type { SyncChanges, SyncRequest, SyncReset } from "./events";
import type { Change, Item } from "./item";
import {
  type ApplyOutcome,
  applyChange,
  applySync,
  emptyView,
  mergeItems,
  type TimelineView,
} from "./timeline";

/**
 * Follows the server's timeline from live changes and sync answers, so that every change is
 * applied exactly once and in seq order. Live changes that arrive while a sync is in flight are
 * held and applied after its answer (dropped there if the answer already covered them).
 * Transport-free: the dashboard's socket module and the tests drive it the same way.
 */
export class TimelineFollower {
  private current: TimelineView;
  private held: Change[] | null = null;

  constructor(view: TimelineView = emptyView) {
    this.current = view;
  }

  get view(): TimelineView {
    return this.current;
  }

  get syncing(): boolean {
    return this.held !== null;
  }

  /** Starts a sync and returns the request to send: `since` the last seq applied, if any. */
  beginSync(): SyncRequest {
    this.held ??= [];
    return this.current.seq > 0 ? { since: this.current.seq } : {};
  }

  /** A sync that failed or whose connection dropped: held changes are dropped; the next sync covers them. */
  abortSync(): void {
    this.held = null;
  }

  /** Applies a live change. `gap` means a change was missed: the caller must sync. */
  receive(change: Change): ApplyOutcome | "held" {
    if (this.held !== null) {
      this.held.push(change);
      return "held";
    }
    const { view, outcome } = applyChange(this.current, change);
    this.current = view;
    return outcome;
  }

  /** Adds items read over HTTP (older pages); a version older than the one held is ignored. */
  merge(items: readonly Item[]): void {
    this.current = mergeItems(this.current, items);
  }

  /** Applies a sync answer, then the changes held meanwhile. `gap` means the caller must sync again. */
  finishSync(answer: SyncChanges | SyncReset): "applied" | "gap" {
    const held = this.held ?? [];
    this.held = null;
    this.current = applySync(this.current, answer);
    for (const change of held) {
      if (this.receive(change) === "gap") return "gap";
    }
    return "applied";
  }
}
