import { type Command, Redis } from "ioredis";
import type { Logger } from "pino";
import { OutageLog } from "./outage-log";

/**
 * How long a command to Redis may take. A Redis that hangs (stopped, or a network that drops
 * packets) fails commands after this instead of holding them, so nothing waits on it for ever and
 * the commands waiting are bounded by this times the rate they are sent at.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

/** How long after a failed subscribe it is sent again. */
const SUBSCRIBE_RETRY_MS = 1000;

const SUBSCRIBING = new Set(["subscribe", "psubscribe"]);

export interface ConnectionOptions {
  /** What the connection is for, in the log. */
  name: string;
  /**
   * A publisher's commands are given up on: those queued while Redis is unreachable fail after
   * one reconnect attempt, and those in flight when the connection drops are not sent again.
   * A subscriber's subscriptions are kept until they go through, however long Redis is away.
   */
  role: "publisher" | "subscriber";
  logger: Logger;
  /** Connect on `connect()` rather than at once. */
  lazyConnect?: boolean;
}

/**
 * An ioredis connection that no fault of Redis can make crash or stall the node:
 *
 * - every command has a deadline, and a command that misses it on an open connection (a frozen
 *   Redis, a network that drops packets) makes the connection reconnect, which fails what else
 *   waits on it;
 * - every command's failure is handled here, whoever sent it and whether or not they handle it
 *   (the Socket.IO Redis adapter publishes without handling a failure, and ioredis re-subscribes
 *   after a reconnect without handling one, either of which would otherwise end the process as an
 *   unhandled rejection), and logged once per outage, once more when commands go through again;
 * - a subscribe that fails is sent again until it goes through: ioredis re-subscribes after a
 *   reconnect only to what Redis had confirmed, so a re-subscribe lost to a second fault would
 *   otherwise be lost for good.
 */
export class RedisConnection extends Redis {
  private readonly outage: OutageLog;
  /** Commands already watched: ioredis sends a command again after a reconnect. */
  private readonly watched = new WeakSet<Command>();
  /** Subscribes waiting to be sent again, by what they subscribe to. */
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly subscribedListeners = new Set<(channels: string[]) => void>();
  private closing = false;

  constructor(url: string, options: ConnectionOptions) {
    super(url, {
      lazyConnect: options.lazyConnect ?? false,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: 2 * REDIS_COMMAND_TIMEOUT_MS,
      ...(options.role === "publisher"
        ? { maxRetriesPerRequest: 1, autoResendUnfulfilledCommands: false }
        : { maxRetriesPerRequest: null, autoResendUnfulfilledCommands: true }),
    });
    this.outage = new OutageLog(
      options.logger,
      { failing: "Redis fails; serving on without it", recovered: "Redis answers again" },
      { connection: options.name },
    );
    // ioredis reconnects by itself (with a backoff); a connection error is only an outage.
    this.on("error", (error: unknown) => this.outage.failed(error));
  }

  /** Calls `listener` with the channels each time a subscribe (or re-subscribe) goes through. */
  onSubscribed(listener: (channels: string[]) => void): void {
    this.subscribedListeners.add(listener);
  }

  override sendCommand(command: Command, stream?: Parameters<Redis["sendCommand"]>[1]): unknown {
    if (!this.watched.has(command)) {
      this.watched.add(command);
      command.promise.then(
        () => this.succeeded(command),
        (error: unknown) => this.failed(command, error),
      );
    }
    return super.sendCommand(command, stream);
  }

  /** Disconnects for good; what fails from now on is not an outage. */
  close(): void {
    this.closing = true;
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    this.disconnect();
  }

  private succeeded(command: Command): void {
    this.outage.recovered();
    if (!SUBSCRIBING.has(command.name)) return;
    const channels = command.args.map(String);
    clearTimeout(this.retries.get(retryKey(command.name, channels)));
    this.retries.delete(retryKey(command.name, channels));
    for (const listener of this.subscribedListeners) listener(channels);
  }

  private failed(command: Command, error: unknown): void {
    if (this.closing) return;
    this.outage.failed(error, { command: command.name });
    if (error instanceof Error && error.message === "Command timed out" && this.status === "ready")
      this.disconnect(true);
    if (SUBSCRIBING.has(command.name)) this.subscribeLater(command.name, command.args.map(String));
  }

  private subscribeLater(name: string, channels: string[]): void {
    const key = retryKey(name, channels);
    if (this.retries.has(key)) return;
    const timer = setTimeout(() => {
      this.retries.delete(key);
      if (this.closing) return;
      // Watched like any other command: a failure schedules the next attempt.
      this.call(name, ...channels).catch(() => {});
    }, SUBSCRIBE_RETRY_MS);
    timer.unref();
    this.retries.set(key, timer);
  }
}

function retryKey(name: string, channels: string[]): string {
  return `${name} ${channels.join(" ")}`;
}
