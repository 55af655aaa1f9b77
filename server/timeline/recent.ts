import type { SyncChanges, SyncReset } from "../../shared/events";
import type { Change } from "../../shared/item";
import { SYNC_MAX_CHANGES } from "../../shared/limits";
import type { Timeline } from "./timeline";

/**
 * The timeline's recent past as this node has broadcast it, kept in memory so that the syncs of a
 * reconnect storm do not each go to the database: a reader resuming from a seq this node still
 * holds gets the changes after it from here, and readers starting afresh share one read of the
 * latest window until the next change. Anything else (a seq older than what is held, ahead of it,
 * or not a number) is answered by the timeline from storage, as before.
 *
 * Answering from what this node has broadcast is consistent with what its readers receive live: a
 * change committed but not yet broadcast here reaches them as a `timeline:change` after the answer.
 */
export class RecentChanges {
  /** Contiguous in seq, oldest first, at most `keep`. */
  private changes: Change[] = [];
  private window: Promise<SyncReset> | undefined;

  constructor(
    private readonly timeline: Timeline,
    private readonly keep = SYNC_MAX_CHANGES,
  ) {}

  /** Every change this node broadcasts, in seq order. */
  record(change: Change): void {
    const last = this.changes.at(-1);
    // A gap (a change this node never heard of): what came before is no longer a complete record.
    if (last !== undefined && change.seq !== last.seq + 1) this.changes = [];
    this.changes.push(change);
    if (this.changes.length > 2 * this.keep) this.changes = this.changes.slice(-this.keep);
    this.window = undefined;
  }

  async sync(since: unknown): Promise<SyncChanges | SyncReset> {
    const first = this.changes[0];
    const last = this.changes.at(-1);
    if (
      first !== undefined &&
      last !== undefined &&
      typeof since === "number" &&
      Number.isSafeInteger(since)
    ) {
      if (since >= first.seq - 1 && since <= last.seq && last.seq - since <= SYNC_MAX_CHANGES) {
        return { seq: last.seq, changes: this.changes.slice(since - first.seq + 1) };
      }
    } else if (since === undefined) {
      if (this.window === undefined) {
        const window = this.latestWindow();
        this.window = window;
        // A failed read is not kept: the next sync tries storage again.
        window.catch(() => {
          if (this.window === window) this.window = undefined;
        });
      }
      return this.window;
    }
    return this.timeline.sync(since);
  }

  private async latestWindow(): Promise<SyncReset> {
    const answer = await this.timeline.sync(undefined);
    if (!("reset" in answer)) throw new Error("a sync without since answered with changes");
    return answer;
  }
}
