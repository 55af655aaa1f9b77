/** A VAPID key pair in URL-safe base64, as web-push makes and takes them. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** A reader's push subscription as kept: one per endpoint. */
export interface StoredPushSubscription {
  endpoint: string;
  /** The browser's P-256 public key and auth secret, URL-safe base64: what the message is encrypted to. */
  p256dh: string;
  auth: string;
  topics: string[];
  /** The lowest urgency sent (1 highest): an item is sent when its urgency is at most this. */
  minUrgency: number;
  createdAt: string;
}

/**
 * Where push subscriptions and the generated VAPID key pair are kept, beside the timeline in the
 * same database (SQLite: server/storage/sqlite/push.ts, PostgreSQL: server/storage/postgres/push.ts),
 * so that every node sees the same.
 */
export interface PushStore {
  /**
   * The key pair kept in the storage; when there is none yet, `made` is kept and returned. Nodes
   * starting at once all end with the one pair that was kept first.
   */
  vapidKeys(made: VapidKeys): Promise<VapidKeys>;
  /** Adds a subscription, or replaces the one with the same endpoint (an endpoint is kept once). */
  saveSubscription(subscription: StoredPushSubscription): Promise<void>;
  /** False when no subscription has this endpoint. */
  deleteSubscription(endpoint: string): Promise<boolean>;
  /** Subscriptions naming any of `topics` whose threshold `urgency` meets (urgency ≤ minUrgency). */
  subscribersFor(topics: readonly string[], urgency: number): Promise<StoredPushSubscription[]>;
  countSubscriptions(): Promise<number>;
  /**
   * Takes the lease on sending alerts for `owner` until `until` when it is free, expired (its end
   * before `now`) or already `owner`'s. Answers the seq through which every change's alerts are
   * settled (where the new holder goes on from), or null when another node holds the lease.
   */
  claimDispatch(owner: string, now: string, until: string): Promise<number | null>;
  /**
   * Keeps `owner`'s lease until `until` and records that alerts are settled through
   * `alertedThrough` (never moving it back); false when `owner` no longer holds the lease.
   */
  renewDispatch(owner: string, until: string, alertedThrough: number): Promise<boolean>;
  /** Records `alertedThrough` and gives the lease back at once, so another node need not wait for it to run out. */
  releaseDispatch(owner: string, alertedThrough: number): Promise<void>;
}
