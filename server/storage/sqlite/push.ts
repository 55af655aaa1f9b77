import type Database from "better-sqlite3";
import { z } from "zod";
import type { PushStore, StoredPushSubscription, VapidKeys } from "../../push/store";
import { countRow } from "../rows";
import { sqliteWork, statement, withSynchronous } from "./work";

const keysRow = z.object({ public_key: z.string(), private_key: z.string() });
const dispatchRow = z.object({ alerted_through: z.number() });
const subscriptionRow = z
  .object({
    endpoint: z.string(),
    p256dh: z.string(),
    auth: z.string(),
    topics: z.string(),
    min_urgency: z.number(),
    created_at: z.string(),
  })
  .transform(
    (r): StoredPushSubscription => ({
      endpoint: r.endpoint,
      p256dh: r.p256dh,
      auth: r.auth,
      topics: z.array(z.string()).parse(JSON.parse(r.topics)),
      minUrgency: r.min_urgency,
      createdAt: r.created_at,
    }),
  );

/** Push subscriptions and the VAPID key pair in the SQLite database (see server/push/store.ts). */
export class SqlitePushStore implements PushStore {
  constructor(private readonly db: Database.Database) {}

  vapidKeys(made: VapidKeys): Promise<VapidKeys> {
    return sqliteWork(() => {
      statement(
        this.db,
        "INSERT INTO push_vapid (id, public_key, private_key, created_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
      ).run(made.publicKey, made.privateKey, new Date().toISOString());
      const row = keysRow.parse(
        statement(this.db, "SELECT public_key, private_key FROM push_vapid WHERE id = 1").get(),
      );
      return { publicKey: row.public_key, privateKey: row.private_key };
    });
  }

  saveSubscription(s: StoredPushSubscription): Promise<void> {
    return sqliteWork(() => {
      statement(
        this.db,
        `INSERT INTO push_subscriptions (endpoint, p256dh, auth, topics, min_urgency, created_at)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth,
               topics = excluded.topics, min_urgency = excluded.min_urgency`,
      ).run(s.endpoint, s.p256dh, s.auth, JSON.stringify(s.topics), s.minUrgency, s.createdAt);
    });
  }

  deleteSubscription(endpoint: string): Promise<boolean> {
    return sqliteWork(
      () => statement(this.db, "DELETE FROM push_subscriptions WHERE endpoint = ?").run(endpoint).changes > 0,
    );
  }

  subscribersFor(topics: readonly string[], urgency: number): Promise<StoredPushSubscription[]> {
    return sqliteWork(() =>
      statement(
        this.db,
        `SELECT * FROM push_subscriptions WHERE min_urgency >= ?
             AND EXISTS (SELECT 1 FROM json_each(push_subscriptions.topics) AS t
                         WHERE t.value IN (SELECT value FROM json_each(?)))`,
      )
        .all(urgency, JSON.stringify(topics))
        .map((row) => subscriptionRow.parse(row)),
    );
  }

  countSubscriptions(): Promise<number> {
    return sqliteWork(
      () =>
        countRow.parse(statement(this.db, "SELECT count(*) AS count FROM push_subscriptions").get()).count,
    );
  }

  claimDispatch(owner: string, now: string, until: string): Promise<number | null> {
    return sqliteWork(() => {
      const row = withSynchronous(this.db, "NORMAL", () =>
        statement(
          this.db,
          `UPDATE push_dispatch SET lease_owner = ?, lease_until = ?
             WHERE id = 1 AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)
             RETURNING alerted_through`,
        ).get(owner, until, owner, now),
      );
      return row === undefined ? null : dispatchRow.parse(row).alerted_through;
    });
  }

  renewDispatch(owner: string, until: string, alertedThrough: number): Promise<boolean> {
    return sqliteWork(() =>
      withSynchronous(
        this.db,
        "NORMAL",
        () =>
          statement(
            this.db,
            `UPDATE push_dispatch SET lease_until = ?, alerted_through = max(alerted_through, ?)
               WHERE id = 1 AND lease_owner = ?`,
          ).run(until, alertedThrough, owner).changes > 0,
      ),
    );
  }

  releaseDispatch(owner: string, alertedThrough: number): Promise<void> {
    return sqliteWork(() => {
      statement(
        this.db,
        `UPDATE push_dispatch SET lease_owner = NULL, lease_until = NULL,
             alerted_through = max(alerted_through, ?) WHERE id = 1 AND lease_owner = ?`,
      ).run(alertedThrough, owner);
    });
  }
}
