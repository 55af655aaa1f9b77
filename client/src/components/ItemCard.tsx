import type { CSSProperties, Ref } from "react";
import { Link } from "wouter";
import type { Item } from "../../../shared/item";
import { DEMO_SOURCE } from "../../../shared/limits";
import { useStore } from "../store";
import { CopyLink } from "./CopyLink";
import { ItemPicture } from "./ItemPicture";
import { RelativeTime } from "./RelativeTime";
import { isWithdrawn, RetractionBadge, RetractionNotice } from "./RetractionNotice";
import { ItemSources, UrgencyBadge, VerificationBadge } from "./Signals";
import { Summary } from "./Summary";
import { UpdatedMark } from "./UpdatedMark";

interface ItemCardProps {
  item: Item;
  headingLevel?: 2 | 3;
  /** Feed position, for `aria-posinset`. */
  position?: { index: number; size: number };
  style?: CSSProperties;
  ref?: Ref<HTMLElement>;
  /** A preview of a draft: the headline is not a link, since the item has no page yet. */
  preview?: boolean;
  /** Just arrived live in the feed: the row slides in (not under reduced motion). */
  arriving?: boolean;
  /** The card the reader just jumped to (from "Key events"): marked for a moment. */
  highlighted?: boolean;
}

export function TopicList({ topics }: { topics: readonly string[] }) {
  const known = useStore((state) => state.topics);
  return (
    <ul className="topics" aria-label="Topics of this item">
      {topics.map((slug) => (
        <li key={slug}>{known.find((topic) => topic.slug === slug)?.name ?? slug}</li>
      ))}
    </ul>
  );
}

/** A link to the outside: http/https only (the server checks too), opened without handing over this page. */
export function SourceLink({ url }: { url: string | null }) {
  if (url === null || !/^https?:\/\//i.test(url)) return null;
  return (
    <a className="source-link" href={url} target="_blank" rel="noopener noreferrer">
      Read more<span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}

/** One news item as an `<article>` named by its headline; a retracted one becomes a tombstone. */
export function ItemCard({
  item,
  headingLevel = 2,
  position,
  style,
  ref,
  preview = false,
  arriving = false,
  highlighted = false,
}: ItemCardProps) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const headingId = `headline-${item.id}`;
  const retracted = item.status === "retracted";
  const classes = [
    "item",
    retracted ? "tombstone" : "",
    isWithdrawn(item) ? "withdrawn" : "",
    item.breaking ? "breaking" : "",
    item.urgency === 1 && !retracted ? "flash" : "",
    arriving ? "arriving" : "",
    highlighted ? "highlighted" : "",
  ];
  return (
    <article
      ref={ref}
      className={classes.filter(Boolean).join(" ")}
      aria-labelledby={headingId}
      tabIndex={position === undefined ? undefined : -1}
      {...(position === undefined
        ? {}
        : {
            "aria-posinset": position.index + 1,
            "aria-setsize": position.size,
            "data-index": position.index,
          })}
      style={style}
    >
      <div className="badges">
        <UrgencyBadge item={item} />
        <VerificationBadge item={item} />
        {item.pinned && !retracted && <span className="badge">Pinned</span>}
        {item.source === DEMO_SOURCE && <span className="badge badge-demo">Demo</span>}
        {retracted && <RetractionBadge item={item} />}
        <UpdatedMark item={item} />
      </div>
      <Heading id={headingId} className="headline" dir="auto">
        {preview ? (
          item.headline
        ) : (
          <Link href={`/items/${encodeURIComponent(item.id)}`}>{item.headline}</Link>
        )}
      </Heading>
      {retracted ? (
        <RetractionNotice item={item} />
      ) : (
        <>
          <ItemPicture image={item.image} />
          {item.summary !== "" && <Summary text={item.summary} />}
          {item.correction !== null && (
            <p className="correction">
              <strong>Correction:</strong> <span dir="auto">{item.correction}</span>
            </p>
          )}
          <ItemSources item={item} />
        </>
      )}
      <div className="meta">
        <RelativeTime iso={item.publishedAt} />
        {item.source !== null && item.source !== DEMO_SOURCE && (
          <span className="source" dir="auto">
            {item.source}
          </span>
        )}
        <TopicList topics={item.topics} />
        {!retracted && <SourceLink url={item.url} />}
        {!retracted && !preview && <CopyLink item={item} />}
      </div>
    </article>
  );
}
