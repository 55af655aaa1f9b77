import { createHash } from "node:crypto";
import { ALERT_URGENCY_MAX } from "../../shared/alerts";
import type { Change, Item } from "../../shared/item";
import type { AlertMessage } from "../../shared/push";
import { publicItem } from "../timeline/public";

/*
 * Pure: which change of the timeline becomes a push message, and what it says. Messages carry
 * the public view of an item only, as every other public answer does.
 */

/** An item's ninjs urgency (1 flash, 2 alert, 3 urgent): what a reader's threshold is compared with. */
export function itemUrgency(item: Item): number {
  return item.urgency;
}

/** Push messages wait at the push service at most this long: an alert an hour late is no alert. */
export const ALERT_TTL_SECONDS = 15 * 60;

/** Body text of a notification, in characters: a push message carries about 4 KB. */
const BODY_MAX = 300;

/** What to send about one change, and to whom. */
export interface Alert {
  message: AlertMessage;
  /** Subscribers whose threshold this urgency meets, on any of these topics, get it. */
  urgency: number;
  topics: string[];
  /** RFC 8030 `Topic`: the same for every message about one item, so a newer one replaces a waiting one. */
  topic: string;
  /** RFC 8030 `Urgency`: high for flashes. */
  pushUrgency: "high" | "normal";
  ttlSeconds: number;
}

/** The RFC 8030 `Topic` of an item: 32 characters of URL-safe base64 (the header's limit). */
export function pushTopic(itemId: string): string {
  return createHash("sha256").update(itemId).digest("base64url").slice(0, 32);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= BODY_MAX ? flat : `${flat.slice(0, BODY_MAX - 1).trimEnd()}…`;
}

/** What the notification shows for an item as it stands: its headline, and the correction's note first. */
function shown(item: Item): { title: string; body: string } {
  const shownItem = publicItem(item);
  if (shownItem.status === "retracted") {
    return { title: `Retracted: ${shownItem.headline}`, body: excerpt(shownItem.retractionReason ?? "") };
  }
  const body =
    shownItem.correction === null
      ? shownItem.summary
      : `Correction: ${shownItem.correction}${shownItem.summary === "" ? "" : ` — ${shownItem.summary}`}`;
  return { title: shownItem.headline, body: excerpt(body) };
}

/**
 * The alert a change makes, given every version of its item before it (oldest first), or null.
 * A breaking item alerts when published or when it becomes breaking; an edit of an item that
 * alerted replaces the alert when what it shows changed (a correction); a retraction of an item
 * that ever alerted replaces it with "Retracted: …".
 */
export function alertFor(change: Change, earlier: readonly Item[]): Alert | null {
  const { item } = change;
  const urgency = itemUrgency(item);
  const alerted = earlier.filter((version) => itemUrgency(version) <= ALERT_URGENCY_MAX);
  const previous = earlier.at(-1);
  let kind: AlertMessage["kind"];
  let sentTo = urgency;
  if (change.kind === "retracted" || item.status === "retracted") {
    if (alerted.length === 0 && urgency > ALERT_URGENCY_MAX) return null;
    kind = "retraction";
    sentTo = Math.min(urgency, ...alerted.map(itemUrgency));
  } else if (urgency > ALERT_URGENCY_MAX) {
    return null;
  } else if (previous === undefined || itemUrgency(previous) > ALERT_URGENCY_MAX) {
    kind = "alert";
  } else {
    const before = shown(previous);
    const now = shown(item);
    if (before.title === now.title && before.body === now.body) return null;
    kind = "correction";
  }
  const topics = [...new Set([...item.topics, ...(previous?.topics ?? [])])];
  return {
    message: {
      kind,
      itemId: item.id,
      tag: `livedesk-item-${item.id}`,
      ...shown(item),
      url: `/items/${encodeURIComponent(item.id)}`,
      urgency: sentTo,
    },
    urgency: sentTo,
    topics,
    topic: pushTopic(item.id),
    pushUrgency: sentTo === 1 ? "high" : "normal",
    ttlSeconds: ALERT_TTL_SECONDS,
  };
}
