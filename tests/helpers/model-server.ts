import type { SyncChanges, SyncRequest, SyncReset } from "../../shared/events";
import { type Change, fingerprintOf, type Item, isFingerprintOf } from "../../shared/item";
import { compareItems } from "../../shared/timeline";

/**
 * A model of the server for the pure follower tests: an append-only change log, the items it
 * leads to, and the epoch of its database. Answers syncs by the protocol's rules.
 */
export class ModelServer {
  readonly log: Change[] = [];
  private readonly items = new Map<string, Item>();

  constructor(readonly epoch = "epoch-a") {}

  change(kind: Change["kind"], next: Omit<Item, "seq">): Change {
    const seq = this.log.length + 1;
    const stamped = { ...next, seq };
    this.items.set(stamped.id, stamped);
    const change = { seq, kind, item: stamped };
    this.log.push(change);
    return change;
  }

  get(id: string): Item | undefined {
    return this.items.get(id);
  }

  ids(): string[] {
    return [...this.items.keys()];
  }

  /**
   * The database restored from a backup taken at `seq`: the changes after it are lost, and the
   * seqs they had are given out again to the next changes. The epoch stays (nobody renewed it).
   */
  restore(seq: number): void {
    this.log.length = seq;
    this.items.clear();
    for (const change of this.log) this.items.set(change.item.id, change.item);
  }

  /**
   * Replays at most `retained` changes; older `since` values, any from another epoch, and any whose
   * change here is not the one `sinceChange` names get a reset with every item (and the
   * fingerprint of the change at its seq). `era` plays an older server: `"epochs"` checks the
   * epoch only and names no fingerprint, `"v1"` takes any `since` at its word (but names its
   * epoch, so the follower can tell).
   */
  sync(
    request: SyncRequest,
    retained: number,
    era: "fingerprints" | "epochs" | "v1" = "fingerprints",
  ): SyncChanges | SyncReset {
    const seq = this.log.length;
    const { since, epoch, sinceChange } = request;
    const sameEpoch = era === "v1" || epoch === undefined || epoch === this.epoch;
    const at = since === undefined || since === 0 ? undefined : this.log[since - 1];
    const sameChange =
      era !== "fingerprints" ||
      sinceChange === undefined ||
      since === 0 ||
      (at !== undefined && isFingerprintOf(at.item, sinceChange));
    if (sameEpoch && sameChange && since !== undefined && since <= seq && seq - since <= retained)
      return { seq, epoch: this.epoch, changes: this.log.slice(since) };
    const reset: SyncReset = { seq, epoch: this.epoch, reset: true, items: [...this.items.values()] };
    const last = this.log.at(-1);
    return era === "fingerprints" && last !== undefined
      ? { ...reset, lastChange: fingerprintOf(last.item) }
      : reset;
  }

  view(): Item[] {
    return [...this.items.values()].sort(compareItems);
  }
}
