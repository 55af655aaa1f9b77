import type { Item } from "../../../shared/item";
import { formatClock, formatExact, useNow } from "./RelativeTime";

/**
 * "Updated 15:12" when the content readers read changed after publication; nothing for a pin or
 * an item as first published. The full date and time is in the `<time>`.
 */
export function UpdatedMark({ item }: { item: Item }) {
  const now = useNow();
  if (item.status !== "published" || item.contentUpdatedAt === null) return null;
  return (
    <span className="badge badge-updated">
      Updated{" "}
      <time dateTime={item.contentUpdatedAt} title={formatExact(item.contentUpdatedAt)}>
        {formatClock(item.contentUpdatedAt, now)}
      </time>
    </span>
  );
}
