import type { SyncChanges, SyncReset } from "../../shared/events";
import { type Change, isFingerprintOf } from "../../shared/item";
import { SYNC_MAX_CHANGES } from "../../shared/limits";
import type { Timeline } from "./timeline";

/**
 * The timeline's recent past as this node has broadcast it, kept in memory so that the syncs of a
 * reconnect storm do not each read changes or the latest window from the database: a reader
 * resuming from a seq this node still holds gets the changes after it from here, and readers
 * starting afresh share one read of the latest window. Each sync still asks storage for the
 * latest seq (one small read): memory answers only while it is as far as storage, so a node that
 * falls behind (its fan-out is down, say) answers from storage instead, as does any other case (a
 * seq older than what is held, ahead of it, or not a number).
 */
export class RecentChanges {
  /** Contiguous in seq, oldest first, at most twice `keep`. */
  private changes: Change[] = [];
  /** The latest window read for readers starting afresh, and the seq storage was at then. */
  private window: { seq: number; answer: Promise<SyncReset> } | undefined;

  constructor(
    private readonly timeline: Pick<Timeline, "sync" | "latestSeq" | "epoch">,
    private readonly keep = SYNC_MAX_CHANGES,
  ) {}

  /** Every change this node broadcasts, in seq order. */
  record(change: Change): void {
    const last = this.changes.at(-1);
    // A gap (a change this node never heard of): what came before is no longer a complete record.
    if (last !== undefined && change.seq !== last.seq + 1) this.changes = [];
    this.changes.push(change);
    if (this.changes.length > 2 * this.keep) this.changes = this.changes.slice(-this.keep);
  }

  /**
   * Answers like `Timeline.sync`; a seq from another epoch, ahead of storage, or whose change held
   * here is not the one the reader names (`sinceChange`) gets the shared latest window. The check
   * reads nothing: the change at `since` is held with the ones after it.
   */
  async sync(since: unknown, epoch?: unknown, sinceChange?: unknown): Promise<SyncChanges | SyncReset> {
    const [latest, current] = await Promise.all([this.timeline.latestSeq(), this.timeline.epoch()]);
    const first = this.changes[0];
    const last = this.changes.at(-1);
    if (since === undefined || (epoch !== undefined && epoch !== current)) return this.latestWindow(latest);
    // A whole batch of readers holding seqs of a database's lost changes: they all share one read.
    if (typeof since === "number" && since > latest) return this.latestWindow(latest);
    const checked = sinceChange !== undefined && since !== 0;
    if (
      first !== undefined &&
      last?.seq === latest &&
      typeof since === "number" &&
      Number.isSafeInteger(since) &&
      since >= first.seq - (checked ? 0 : 1) &&
      since <= last.seq &&
      last.seq - since <= SYNC_MAX_CHANGES
    ) {
      const at = since - first.seq;
      const held = this.changes[at];
      if (checked && (held === undefined || !isFingerprintOf(held.item, sinceChange))) {
        return this.latestWindow(latest);
      }
      return { seq: last.seq, epoch: current, changes: this.changes.slice(at + 1) };
    }
    return this.timeline.sync(since, epoch, sinceChange);
  }

  /** One read of the latest window per seq, shared by every reader that asks meanwhile. */
  private latestWindow(latest: number): Promise<SyncReset> {
    if (this.window?.seq === latest) return this.window.answer;
    const answer = this.timeline.sync(undefined).then((reply) => {
      if (!("reset" in reply)) throw new Error("a sync without since answered with changes");
      return reply;
    });
    const window = { seq: latest, answer };
    this.window = window;
    // A failed read is not kept: the next sync tries storage again.
    answer.catch(() => {
      if (this.window === window) this.window = undefined;
    });
    return answer;
  }
}
