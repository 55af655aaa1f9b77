import type { Change } from "../../shared/item";

/**
 * Carries each change a node commits to the other nodes serving the timeline, and counts readers
 * across nodes. A node releases its own commits itself; what it hears here may include them again
 * (its sequencer drops them by seq). Delivery is best effort: a change the fan-out loses is read
 * from storage by each node's sequencer. One node needs none of it (`LocalFanout`); several share
 * Redis (`RedisFanout`).
 */
export interface Fanout {
  /** Never waits and never throws: a publish must not depend on the fan-out. */
  publish(change: Change): void;
  onChange(listener: (change: Change) => void): void;
  /** Calls `listener` whenever the fan-out is back after an outage, when changes may have been lost. */
  onResume(listener: () => void): void;
  /** Readers on all nodes, given this node's count. */
  viewers(local: number): Promise<number>;
  /** Throws when the fan-out cannot carry changes right now. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One node alone: there is nobody else to tell, and it never goes away. */
export class LocalFanout implements Fanout {
  publish(_change: Change): void {}

  onChange(_listener: (change: Change) => void): void {}

  onResume(_listener: () => void): void {}

  async viewers(local: number): Promise<number> {
    return local;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
