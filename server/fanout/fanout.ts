import type { Change } from "../../shared/item";

/**
 * Carries each committed change to every node serving the timeline, this one included, and
 * counts readers across nodes. One node needs nothing more than a loop back (`LocalFanout`);
 * several share Redis (`RedisFanout`).
 */
export interface Fanout {
  publish(change: Change): void;
  onChange(listener: (change: Change) => void): void;
  /** Readers on all nodes, given this node's count. */
  viewers(local: number): Promise<number>;
  /** Throws when the fan-out cannot carry changes right now. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class LocalFanout implements Fanout {
  private readonly listeners = new Set<(change: Change) => void>();

  publish(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }

  onChange(listener: (change: Change) => void): void {
    this.listeners.add(listener);
  }

  async viewers(local: number): Promise<number> {
    return local;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
