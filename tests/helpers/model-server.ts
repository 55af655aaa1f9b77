import type { SyncChanges, SyncRequest, SyncReset } from "../../shared/events";
import type { Change, Item } from "../../shared/item";
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
   * Replays at most `retained` changes; older `since` values, and any from another epoch, get a
   * reset with every item. `checkEpoch: false` plays a server from before epochs, which takes any
   * `since` at its word (but names its epoch, so the follower can tell).
   */
  sync(request: SyncRequest, retained: number, checkEpoch = true): SyncChanges | SyncReset {
    const seq = this.log.length;
    const { since, epoch } = request;
    const sameEpoch = !checkEpoch || epoch === undefined || epoch === this.epoch;
    if (sameEpoch && since !== undefined && since <= seq && seq - since <= retained)
      return { seq, epoch: this.epoch, changes: this.log.slice(since) };
    return { seq, epoch: this.epoch, reset: true, items: [...this.items.values()] };
  }

  view(): Item[] {
    return [...this.items.values()].sort(compareItems);
  }
}
