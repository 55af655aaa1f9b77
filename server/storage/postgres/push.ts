import type pg from "pg";
import { z } from "zod";
import type { PushStore, StoredPushSubscription, VapidKeys } from "../../push/store";
import { countRow } from "../rows";

const keysRow = z.object({ public_key: z.string(), private_key: z.string() });
// BIGINT comes back as text from pg.
const dispatchRow = z.object({ alerted_through: z.coerce.number().int() });
const subscriptionRow = z
  .object({
    endpoint: z.string(),
    p256dh: z.string(),
    auth: z.string(),
    topics: z.array(z.string()),
    min_urgency: z.number(),
    created_at: z.string(),
  })
  .transform(
    (r): StoredPushSubscription => ({
      endpoint: r.endpoint,
      p256dh: r.p256dh,
      auth: r.auth,
      topics: r.topics,
      minUrgency: r.min_urgency,
      createdAt: r.created_at,
    }),
  );

/** Runs one statement with the storage's deadlines and error mapping. */
export type PgQuery = (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;

/** Push subscriptions and the VAPID key pair in PostgreSQL (see server/push/store.ts). */
export class PgPushStore implements PushStore {
  constructor(private readonly query: PgQuery) {}

  async vapidKeys(made: VapidKeys): Promise<VapidKeys> {
    // The pair kept first wins, whichever node made it. A node whose insert waited on another's
    // sees no row in that statement's snapshot, so it reads again in a new one.
    await this.query(
      `INSERT INTO push_vapid (id, public_key, private_key, created_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO NOTHING`,
      [made.publicKey, made.privateKey, new Date().toISOString()],
    );
    const result = await this.query("SELECT public_key, private_key FROM push_vapid WHERE id = 1");
    const row = keysRow.parse(result.rows[0]);
    return { publicKey: row.public_key, privateKey: row.private_key };
  }

  async saveSubscription(s: StoredPushSubscription): Promise<void> {
    await this.query(
      `INSERT INTO push_subscriptions (endpoint, p256dh, auth, topics, min_urgency, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth,
           topics = excluded.topics, min_urgency = excluded.min_urgency`,
      [s.endpoint, s.p256dh, s.auth, s.topics, s.minUrgency, s.createdAt],
    );
  }

  async deleteSubscription(endpoint: string): Promise<boolean> {
    return (
      ((await this.query("DELETE FROM push_subscriptions WHERE endpoint = $1", [endpoint])).rowCount ?? 0) > 0
    );
  }

  async subscribersFor(topics: readonly string[], urgency: number): Promise<StoredPushSubscription[]> {
    const result = await this.query(
      "SELECT * FROM push_subscriptions WHERE min_urgency >= $1 AND topics && $2::text[]",
      [urgency, topics],
    );
    return result.rows.map((row) => subscriptionRow.parse(row));
  }

  async countSubscriptions(): Promise<number> {
    return countRow.parse((await this.query("SELECT count(*)::int AS count FROM push_subscriptions")).rows[0])
      .count;
  }

  async claimDispatch(owner: string, now: string, until: string): Promise<number | null> {
    // The condition is checked again by the UPDATE itself: a node that waited for another's row
    // lock re-reads the row and finds the lease taken.
    const result = await this.query(
      `UPDATE push_dispatch SET lease_owner = $1, lease_until = $2
         WHERE id = 1 AND (lease_owner IS NULL OR lease_owner = $1 OR lease_until < $3)
         RETURNING alerted_through`,
      [owner, until, now],
    );
    const row = result.rows[0];
    return row === undefined ? null : dispatchRow.parse(row).alerted_through;
  }

  async renewDispatch(owner: string, until: string, alertedThrough: number): Promise<boolean> {
    const result = await this.query(
      `UPDATE push_dispatch SET lease_until = $1, alerted_through = GREATEST(alerted_through, $2)
         WHERE id = 1 AND lease_owner = $3`,
      [until, alertedThrough, owner],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async releaseDispatch(owner: string, alertedThrough: number): Promise<void> {
    await this.query(
      `UPDATE push_dispatch SET lease_owner = NULL, lease_until = NULL,
         alerted_through = GREATEST(alerted_through, $1) WHERE id = 1 AND lease_owner = $2`,
      [alertedThrough, owner],
    );
  }
}
