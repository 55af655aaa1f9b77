import type { Logger } from "pino";
import { ALERT_URGENCY_MAX } from "../../shared/alerts";
import type { Change } from "../../shared/item";
import type { Storage } from "../storage/storage";
import { alertFor } from "./alerts";
import type { PushSender } from "./sender";
import type { PushStore } from "./store";

/**
 * The alert work of one change: works out its alert, finds the subscribers and queues one message
 * each. The promise resolves with the number of messages once every one is done with (sent, gone,
 * refused, given up or replaced), so the dispatcher knows how far alerts are settled; a change
 * whose alert could not be worked out (the storage failed) is logged and counts as done.
 */
export type AlertWork = (change: Change) => Promise<number>;

export function alertWork(
  storage: Pick<Storage, "listRevisions">,
  store: PushStore,
  sender: PushSender,
  logger: Logger,
): AlertWork {
  const queue = async (change: Change): Promise<Promise<void>[]> => {
    const { item } = change;
    // Only a change that can alert needs the item's earlier versions: a new item alerts by its own
    // urgency, an edit below the alert grades alerts nobody; a retraction or an edit of an alerting
    // item depends on what was sent before.
    const needsHistory =
      change.kind !== "created" && (item.status === "retracted" || item.urgency <= ALERT_URGENCY_MAX);
    if (change.kind !== "created" && !needsHistory) return [];
    const earlier = needsHistory
      ? (await storage.listRevisions(item.id)).filter((version) => version.seq < change.seq)
      : [];
    const found = alertFor(change, earlier);
    if (found === null) return [];
    // Worth sending for its TTL from the commit, not from now: a node taking over late sends
    // nothing stale (server/push/dispatch.ts).
    const expiresAt = Date.parse(item.updatedAt) + found.ttlSeconds * 1000;
    if (!(expiresAt > Date.now())) return [];
    return (await store.subscribersFor(found.topics, found.urgency)).map((subscription) =>
      sender.send(subscription, found, expiresAt),
    );
  };
  // One item's changes are queued in commit order, so a correction never overtakes its alert on
  // the way to the sender, whatever the storage's reads take.
  const lastOfItem = new Map<string, Promise<unknown>>();
  return (change) => {
    const id = change.item.id;
    const queued = (lastOfItem.get(id) ?? Promise.resolve()).then(() => queue(change));
    const done = queued.then(
      (messages) => Promise.all(messages).then(() => messages.length),
      (error: unknown) => {
        logger.warn({ err: error, itemId: id, seq: change.seq }, "could not send push alerts");
        return 0;
      },
    );
    const settled = queued.catch(() => []);
    lastOfItem.set(id, settled);
    void settled.then(() => {
      if (lastOfItem.get(id) === settled) lastOfItem.delete(id);
    });
    return done;
  };
}
