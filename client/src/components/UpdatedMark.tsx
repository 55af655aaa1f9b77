import type { Item } from "../../../shared/item";
import { formatExact, useNow } from "./RelativeTime";

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayAndClock = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

/** "15:12" today, "25 Nov, 15:12" on another day: in the reader's own time zone. */
export function formatUpdated(iso: string, now: number): string {
  const at = new Date(iso);
  return at.toDateString() === new Date(now).toDateString() ? clock.format(at) : dayAndClock.format(at);
}

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
        {formatUpdated(item.contentUpdatedAt, now)}
      </time>
    </span>
  );
}
