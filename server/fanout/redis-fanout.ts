import { randomUUID } from "node:crypto";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Logger } from "pino";
import { type Change, changeSchema } from "../../shared/item";
import type { Fanout } from "./fanout";
import { RedisConnection } from "./redis-connection";

const CHANGES_CHANNEL = "livedesk:changes";
const VIEWERS_KEY = "livedesk:viewers";
/** A node's reader count older than this is from a node that is gone. */
const VIEWERS_FRESH_MS = 5000;

/**
 * Fan-out through Redis pub/sub. Every node publishes the changes it commits on one channel and
 * hears all of them (its own included, dropped by its sequencer since it released them already).
 * Redis carries no state that matters: a change lost on the way (a dropped subscriber, a Redis
 * restarted empty, a publish that timed out) is read from storage by each node's sequencer, on a
 * gap, once the subscriber is subscribed again (`onResume`) and on its regular check.
 *
 * The Socket.IO Redis adapter is installed beside it for what spans nodes in Socket.IO itself:
 * the operators' room and closing a session's sockets on any node. All four connections are
 * `RedisConnection`s: commands with deadlines, failures handled and logged once per outage.
 */
export class RedisFanout implements Fanout {
  private readonly listeners = new Set<(change: Change) => void>();
  private readonly resumeListeners = new Set<() => void>();
  private readonly node = randomUUID();
  /** The Socket.IO adapter's connections, closed with the rest. */
  private readonly adapterClients: RedisConnection[] = [];
  /** Whether the subscriber hears the changes channel right now, and whether it ever did. */
  private subscribed = false;
  private everSubscribed = false;

  private constructor(
    private readonly url: string,
    private readonly pub: RedisConnection,
    private readonly sub: RedisConnection,
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
    sub.on("close", () => {
      this.subscribed = false;
    });
    // Every subscribe that goes through after the first follows a lost connection (or a failed
    // re-subscribe): whatever was published meanwhile is lost, and is read from storage now that
    // nothing more can be.
    sub.onSubscribed((channels) => {
      if (!channels.includes(CHANGES_CHANNEL)) return;
      const again = this.everSubscribed && !this.subscribed;
      this.subscribed = true;
      this.everSubscribed = true;
      if (!again) return;
      logger.info("Redis subscriber is subscribed again; catching up from storage");
      for (const listener of this.resumeListeners) listener();
    });
  }

  static async connect(url: string, logger: Logger): Promise<RedisFanout> {
    const pub = new RedisConnection(url, {
      name: "fan-out publisher",
      role: "publisher",
      logger,
      lazyConnect: true,
    });
    const sub = new RedisConnection(url, {
      name: "fan-out subscriber",
      role: "subscriber",
      logger,
      lazyConnect: true,
    });
    await Promise.all([pub.connect(), sub.connect()]);
    const fanout = new RedisFanout(url, pub, sub, logger);
    await sub.subscribe(CHANGES_CHANNEL);
    return fanout;
  }

  /** The Socket.IO adapter, on two more connections of its own. */
  adapter() {
    const pub = new RedisConnection(this.url, {
      name: "Socket.IO adapter publisher",
      role: "publisher",
      logger: this.logger,
    });
    const sub = new RedisConnection(this.url, {
      name: "Socket.IO adapter subscriber",
      role: "subscriber",
      logger: this.logger,
    });
    this.adapterClients.push(pub, sub);
    return createAdapter(pub, sub);
  }

  publish(change: Change): void {
    // A failure is logged by the connection; storage is how the other nodes get the change then.
    this.pub.publish(CHANGES_CHANNEL, JSON.stringify(change)).catch(() => {});
  }

  onResume(listener: () => void): void {
    this.resumeListeners.add(listener);
  }

  onChange(listener: (change: Change) => void): void {
    this.listeners.add(listener);
  }

  /** Never fails: while Redis does not answer, this node's own count (the failure is logged once). */
  async viewers(local: number): Promise<number> {
    if (this.pub.status !== "ready") return local;
    try {
      return await this.countViewers(local);
    } catch {
      return local;
    }
  }

  private async countViewers(local: number): Promise<number> {
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
    if (this.pub.status !== "ready") throw new Error(`Redis is ${this.pub.status}`);
    if (!this.subscribed) throw new Error("the Redis subscriber is not subscribed");
    await this.pub.ping();
  }

  async close(): Promise<void> {
    await this.pub.hdel(VIEWERS_KEY, this.node).catch(() => 0);
    for (const client of [this.pub, this.sub, ...this.adapterClients]) client.close();
  }
}
