import type { SyncChanges, SyncRequest, SyncReset } from "./events";
import type { Change, Item } from "./item";
import {
  type ApplyOutcome,
  applyChange,
  applySync,
  emptyView,
  isForeign,
  lastChangeOf,
  mergeItems,
  type TimelineView,
} from "./timeline";

/**
 * Follows the server's timeline from live changes and sync answers, so that every change is
 * applied exactly once and in seq order. Live changes come one per event (`timeline:change`,
 * protocol 1) or one commit batch per event (`timeline:changes`, protocol 2); the rules are the same. Live changes that arrive while a sync is in flight are
 * held and applied after its answer (dropped there if the answer already covered them).
 * A seq is only meaningful within its epoch and its history: syncs send the seq with its epoch and
 * the fingerprint of the change applied at it, and a view from another epoch or another history
 * (a restored backup) is replaced by the latest window, never patched with the other's changes.
 * Transport-free: the dashboard's socket module and the tests drive it the same way.
 */
export class TimelineFollower {
  private current: TimelineView;
  private held: Change[] | null = null;
  /** Set when an answer showed the view's seq to be from another epoch: the next sync starts afresh. */
  private afresh = false;

  constructor(view: TimelineView = emptyView) {
    this.current = view;
  }

  get view(): TimelineView {
    return this.current;
  }

  get syncing(): boolean {
    return this.held !== null;
  }

  /**
   * Starts a sync and returns the request to send: `since` the last seq applied, if any, with its
   * epoch and the fingerprint of the change at that seq, so that the server can tell whether its
   * change at that seq is the same one.
   */
  beginSync(): SyncRequest {
    this.held ??= [];
    const { seq, epoch } = this.current;
    if (seq === 0 || this.afresh) return {};
    const sinceChange = lastChangeOf(this.current);
    return {
      since: seq,
      ...(epoch === undefined ? {} : { epoch }),
      ...(sinceChange === undefined ? {} : { sinceChange }),
    };
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

  /**
   * Applies the changes of one `timeline:changes` event (protocol 2) in their order, each as a live
   * change, and returns what became of each: one `gap` among them means the caller must sync.
   */
  receiveAll(changes: readonly Change[]): (ApplyOutcome | "held")[] {
    return changes.map((change) => this.receive(change));
  }

  /** Adds items read over HTTP (older pages); a version older than the one held is ignored. */
  merge(items: readonly Item[]): void {
    this.current = mergeItems(this.current, items);
  }

  /**
   * Applies a sync answer, then the changes held meanwhile. `gap` means the caller must sync
   * again: changes were missed, or the answer's changes belong to another epoch (a server that
   * did not check the epoch sent) and the next sync asks for the latest window instead.
   */
  finishSync(answer: SyncChanges | SyncReset): "applied" | "gap" {
    const held = this.held ?? [];
    this.held = null;
    if (isForeign(this.current, answer)) {
      this.afresh = true;
      return "gap";
    }
    this.afresh = false;
    this.current = applySync(this.current, answer);
    for (const change of held) {
      if (this.receive(change) === "gap") return "gap";
    }
    return "applied";
  }
}
