import { randomUUID } from "node:crypto";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { type Change, changeSchema } from "../../shared/item";
import type { Fanout } from "./fanout";

const CHANGES_CHANNEL = "livedesk:changes";
const VIEWERS_KEY = "livedesk:viewers";
/** A node's reader count older than this is from a node that is gone. */
const VIEWERS_FRESH_MS = 5000;

/**
 * How long a command to Redis may take. A Redis that hangs (stopped, or a network that drops
 * packets) fails commands after this instead of holding them, so nothing waits on it for ever and
 * the commands waiting are bounded by this times the publish rate.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

/**
 * Fan-out through Redis pub/sub. Every node publishes the changes it commits on one channel and
 * hears all of them (its own included, dropped by its sequencer since it released them already).
 * Redis carries no state that matters: a change lost on the way (a dropped subscriber, a Redis
 * restarted empty, a publish that timed out) is read from storage by each node's sequencer, on a
 * gap, after a reconnect (`onResume`) and on its regular check.
 *
 * The Socket.IO Redis adapter is installed beside it for what spans nodes in Socket.IO itself:
 * the operators' room and closing a session's sockets on any node.
 */
export class RedisFanout implements Fanout {
  private readonly listeners = new Set<(change: Change) => void>();
  private readonly resumeListeners = new Set<() => void>();
  private readonly node = randomUUID();
  /** The Socket.IO adapter's connections, closed with the rest. */
  private readonly adapterClients: Redis[] = [];
  /** Publishes that failed since the last one that went through; logged once per outage. */
  private failedPublishes = 0;

  private constructor(
    private readonly url: string,
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly logger: Logger,
  ) {
    sub.on("message", (channel: string, message: string) => {
      if (channel !== CHANGES_CHANNEL) return;
      try {
        const change = changeSchema.parse(JSON.parse(message));
        for (const listener of this.listeners) listener(change);
      } catch (error) {
        logger.warn({ err: error }, "ignored an unreadable change from Redis");
      }
    });
    // Every "ready" after the first is a reconnect: whatever was published meanwhile is lost.
    sub.on("ready", () => {
      logger.info("Redis subscriber is back; catching up from storage");
      for (const listener of this.resumeListeners) listener();
    });
  }

  static async connect(url: string, logger: Logger): Promise<RedisFanout> {
    // Publishing: every command has a deadline, and commands queued while disconnected fail after
    // one reconnect attempt (or the deadline) instead of piling up.
    const pub = new Redis(url, {
      lazyConnect: true,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: 2 * REDIS_COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      // Commands that timed out were given up on; sending them again after a reconnect is noise.
      autoResendUnfulfilledCommands: false,
    });
    // Subscribing: no deadline, as ioredis re-subscribes after a reconnect without handling a
    // failure of that command; it only ever waits for messages.
    const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
    for (const client of [pub, sub]) {
      // ioredis reconnects by itself; an error must only be logged, never crash the node.
      client.on("error", (error: unknown) => logger.warn({ err: error }, "Redis connection error"));
    }
    await Promise.all([pub.connect(), sub.connect()]);
    await sub.subscribe(CHANGES_CHANNEL);
    return new RedisFanout(url, pub, sub, logger);
  }

  /**
   * The Socket.IO adapter on two more connections of its own, without command deadlines: the
   * adapter publishes without handling a failed command, which would end the process.
   */
  adapter() {
    const options = { maxRetriesPerRequest: null };
    const pub = new Redis(this.url, options);
    const sub = new Redis(this.url, options);
    for (const client of [pub, sub]) {
      this.adapterClients.push(client);
      client.on("error", (error: unknown) =>
        this.logger.debug({ err: error }, "Redis adapter connection error"),
      );
    }
    return createAdapter(pub, sub);
  }

  publish(change: Change): void {
    this.pub.publish(CHANGES_CHANNEL, JSON.stringify(change)).then(
      () => {
        if (this.failedPublishes === 0) return;
        this.logger.info({ failed: this.failedPublishes }, "publishing changes to Redis again");
        this.failedPublishes = 0;
      },
      (error: unknown) => {
        if (this.failedPublishes === 0)
          this.logger.warn({ err: error, seq: change.seq }, "could not publish a change to Redis");
        this.failedPublishes += 1;
        // A Redis that stopped answering on an open connection (frozen, or a network that drops
        // packets) would keep every later publish waiting on it: reconnect, which fails what
        // waits and queues at most a connect timeout's worth of publishes meanwhile.
        if (error instanceof Error && error.message === "Command timed out" && this.pub.status === "ready")
          this.pub.disconnect(true);
      },
    );
  }

  onResume(listener: () => void): void {
    this.resumeListeners.add(listener);
  }

  onChange(listener: (change: Change) => void): void {
    this.listeners.add(listener);
  }

  async viewers(local: number): Promise<number> {
    if (this.pub.status !== "ready") return local;
    const now = Date.now();
    await this.pub.hset(VIEWERS_KEY, this.node, `${local}:${now}`);
    const all = await this.pub.hgetall(VIEWERS_KEY);
    let total = 0;
    for (const [node, value] of Object.entries(all)) {
      const [count, at] = value.split(":").map(Number);
      if (count === undefined || at === undefined || Number.isNaN(count) || now - at > VIEWERS_FRESH_MS) {
        if (node !== this.node) await this.pub.hdel(VIEWERS_KEY, node);
        continue;
      }
      total += count;
    }
    return total;
  }

  async ping(): Promise<void> {
    if (this.pub.status !== "ready" || this.sub.status !== "ready")
      throw new Error(`Redis is ${this.pub.status}`);
    await this.pub.ping();
  }

  async close(): Promise<void> {
    await this.pub.hdel(VIEWERS_KEY, this.node).catch(() => 0);
    this.pub.disconnect();
    this.sub.disconnect();
    for (const client of this.adapterClients) client.disconnect();
  }
}
