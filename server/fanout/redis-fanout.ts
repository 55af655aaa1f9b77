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
 * Fan-out through Redis pub/sub. Every node publishes the changes it commits on one channel and
 * hears all of them (its own included), so every node releases every change to its readers, in
 * seq order, through its ChangeSequencer. A change lost while Redis is away shows up as a seq gap,
 * which readers close by syncing from the database: Redis carries no state that matters.
 *
 * The Socket.IO Redis adapter is installed beside it for what spans nodes in Socket.IO itself:
 * the operators' room and closing a session's sockets on any node.
 */
export class RedisFanout implements Fanout {
  private readonly listeners = new Set<(change: Change) => void>();
  private readonly node = randomUUID();

  private constructor(
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
  }

  static async connect(url: string, logger: Logger): Promise<RedisFanout> {
    const options = { maxRetriesPerRequest: null, lazyConnect: true };
    const pub = new Redis(url, options);
    const sub = new Redis(url, options);
    for (const client of [pub, sub]) {
      // ioredis reconnects by itself; an error must only be logged, never crash the node.
      client.on("error", (error: unknown) => logger.warn({ err: error }, "Redis connection error"));
    }
    await Promise.all([pub.connect(), sub.connect()]);
    await sub.subscribe(CHANGES_CHANNEL);
    return new RedisFanout(pub, sub, logger);
  }

  /** The Socket.IO adapter on two more connections of its own. */
  adapter() {
    return createAdapter(this.pub.duplicate(), this.sub.duplicate());
  }

  publish(change: Change): void {
    this.pub.publish(CHANGES_CHANNEL, JSON.stringify(change)).catch((error: unknown) => {
      this.logger.warn({ err: error, seq: change.seq }, "could not publish a change to Redis");
    });
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
  }
}
