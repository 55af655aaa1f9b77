import type { Item } from "../../../shared/item";
import { formatExact } from "./RelativeTime";

/** Whether the item was retracted as a legal kill: its headline is withdrawn too. */
export function isWithdrawn(item: Item): boolean {
  return item.status === "retracted" && item.withdrawn === true;
}

/**
 * The tombstone's notice: why and when the item was retracted (a retracted item changes no more,
 * so `updatedAt` is the retraction's time). The same for every reader, whether they saw the
 * retraction arrive live or opened the page afterwards.
 */
export function RetractionNotice({ item }: { item: Item }) {
  const withdrawn = isWithdrawn(item);
  return (
    <p className="retraction">
      <strong>{withdrawn ? "This item was withdrawn." : "This item was retracted."}</strong>{" "}
      <span dir="auto">{item.retractionReason}</span>{" "}
      <span className="retracted-at">
        {withdrawn ? "Withdrawn" : "Retracted"}{" "}
        <time dateTime={item.updatedAt}>{formatExact(item.updatedAt)}</time>
      </span>
    </p>
  );
}

/** The tombstone's badge. */
export function RetractionBadge({ item }: { item: Item }) {
  return <span className="badge badge-retracted">{isWithdrawn(item) ? "Withdrawn" : "Retracted"}</span>;
}
