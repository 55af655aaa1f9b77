import type { Logger } from "pino";
import type { Change } from "../../shared/item";
import type { Storage } from "../storage/storage";
import type { Timeline } from "../timeline/timeline";
import { alertFor } from "./alerts";
import type { PushSender } from "./sender";
import type { PushStore } from "./store";

/**
 * Sends push alerts for the changes this node commits. Only the committing node hears of its
 * commits here (other nodes get them through the fan-out, not `Timeline.onChange`), so on many
 * nodes each alert is sent once. The work starts after the commit has been answered: sending
 * never delays a publish.
 */
export function sendAlertsOnCommit(
  timeline: Timeline,
  storage: Pick<Storage, "listRevisions">,
  store: PushStore,
  sender: PushSender,
  logger: Logger,
): { stop: () => void; idle: () => Promise<void> } {
  // Alerts being worked out (reading the item's versions and the subscribers) before they are queued.
  const working = new Set<Promise<void>>();
  const alert = async (change: Change) => {
    // Versions before this change (an item created now has none): whether it alerted before, and what it showed.
    const earlier =
      change.kind === "created"
        ? []
        : (await storage.listRevisions(change.item.id)).filter((version) => version.seq < change.seq);
    const found = alertFor(change, earlier);
    if (found === null) return;
    for (const subscription of await store.subscribersFor(found.topics, found.urgency)) {
      sender.send(subscription, found);
    }
  };
  // The work for one item's changes runs in commit order, so its messages are queued in that
  // order (a correction after its alert) whatever the storage's reads take.
  const lastOfItem = new Map<string, Promise<void>>();
  const stop = timeline.onChange((change) => {
    const id = change.item.id;
    const work = (lastOfItem.get(id) ?? Promise.resolve())
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => alert(change))
      .catch((error: unknown) =>
        logger.warn({ err: error, itemId: id, seq: change.seq }, "could not send push alerts"),
      )
      .finally(() => {
        working.delete(work);
        if (lastOfItem.get(id) === work) lastOfItem.delete(id);
      });
    lastOfItem.set(id, work);
    working.add(work);
  });
  return {
    stop,
    async idle() {
      while (working.size > 0) await Promise.all(working);
      await sender.idle();
    },
  };
}
