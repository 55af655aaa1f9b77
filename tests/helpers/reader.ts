import { io, type Socket } from "socket.io-client";
import type {
  ClientToServerEvents,
  ProtocolVersion,
  ServerToClientEvents,
  SyncAck,
} from "../../shared/events";
import { TimelineFollower } from "../../shared/follower";
import type { Change } from "../../shared/item";
import type { TimelineView } from "../../shared/timeline";

/**
 * A reader as the dashboard is one: the real socket.io-client, syncing on every (re)connect and
 * following the timeline with the shared follower. Records every change it applied. It speaks
 * protocol 2 (a `timeline:changes` event per commit batch), as the dashboard does, unless told
 * to speak 1 (a `timeline:change` event per change), as clients of the first release do.
 */
export class Reader {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly follower: TimelineFollower;
  /** Seqs of the live changes this reader applied, in the order it applied them. */
  readonly applied: number[] = [];
  /** Live events received: `timeline:change` (protocol 1) and `timeline:changes` (protocol 2). */
  readonly events = { change: 0, changes: 0 };
  syncs = 0;
  syncErrors = 0;
  private waiters: (() => void)[] = [];

  constructor(
    url: string,
    view?: TimelineView,
    transport: "websocket" | "polling" = "websocket",
    protocol: ProtocolVersion = 2,
  ) {
    this.follower = new TimelineFollower(view);
    this.socket = io(url, {
      transports: [transport],
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
      ...(protocol === 1 ? {} : { auth: { protocol } }),
    });
    this.socket.on("connect", () => void this.sync());
    this.socket.on("disconnect", () => this.follower.abortSync());
    this.socket.on("timeline:change", (change) => {
      this.events.change += 1;
      this.receive([change]);
    });
    this.socket.on("timeline:changes", (changes) => {
      this.events.changes += 1;
      this.receive(changes);
    });
  }

  private receive(changes: readonly Change[]): void {
    const outcomes = this.follower.receiveAll(changes);
    for (const [i, outcome] of outcomes.entries()) {
      const change = changes[i];
      if (outcome === "applied" && change !== undefined) this.applied.push(change.seq);
    }
    if (outcomes.includes("gap")) void this.sync();
    this.notify();
  }

  get seq(): number {
    return this.follower.view.seq;
  }

  /** Like the dashboard: a sync that fails (the server's storage is away, say) is tried again. */
  private async sync(): Promise<void> {
    const request = this.follower.beginSync();
    let answer: SyncAck;
    try {
      answer = await this.socket.timeout(10_000).emitWithAck("timeline:sync", request);
    } catch {
      answer = { error: { code: "timeout", message: "no answer" } };
    }
    if ("error" in answer) {
      this.follower.abortSync();
      this.syncErrors += 1;
      if (this.socket.connected) setTimeout(() => void this.sync(), 200);
      return;
    }
    this.syncs += 1;
    if (this.follower.finishSync(answer) === "gap") await this.sync();
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves once `done()` holds, checked after every change and sync this reader handles. */
  async until(done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`reader at seq ${this.seq} timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once the reader has applied everything up to `seq`. */
  waitForSeq(seq: number, timeoutMs?: number): Promise<void> {
    return this.until(() => this.seq >= seq && !this.follower.syncing, `seq ${seq}`, timeoutMs);
  }

  /** Resolves once the reader has finished `count` syncs (the first one on connecting). */
  waitForSyncs(count = 1, timeoutMs?: number): Promise<void> {
    return this.until(() => this.syncs >= count, `${count} syncs`, timeoutMs);
  }

  close(): void {
    this.socket.close();
  }
}
