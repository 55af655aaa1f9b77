import { type Item, urgencyGrade, VERIFICATION_LABELS } from "../../../shared/item";

/*
 * The editorial signals readers see on a card, the ticker and the permalink: the urgency grade,
 * how sure the desk is, and the named sources. Always as words, never colour alone.
 */

/**
 * The item's grade as a badge: "Flash" and "Alert" by name; an urgent item (3) keeps the
 * "Breaking" badge readers know from v1.
 */
export function UrgencyBadge({ item }: { item: Item }) {
  const grade = urgencyGrade(item.urgency);
  if (grade === null || item.status !== "published") return null;
  if (grade === "Urgent") return <span className="badge badge-breaking">Breaking</span>;
  return <span className={`badge badge-breaking badge-${grade.toLowerCase()}`}>{grade}</span>;
}

/** "Unconfirmed", "Confirmed" or "Disputed"; nothing while the desk has not said. */
export function VerificationBadge({ item }: { item: Item }) {
  if (item.verification === null || item.status !== "published") return null;
  return (
    <span className={`badge badge-verification badge-${item.verification}`}>
      {VERIFICATION_LABELS[item.verification]}
    </span>
  );
}

/** "Source: …" with each named source, linked when it has an http(s) address. */
export function ItemSources({ item }: { item: Item }) {
  if (item.sources.length === 0) return null;
  return (
    <p className="item-sources">
      Source:{" "}
      {item.sources.map((source, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: two sources may share a name; the list is only ever replaced whole
        <span key={`${source.name}-${i}`}>
          {i > 0 && ", "}
          {source.uri !== undefined && /^https?:\/\//i.test(source.uri) ? (
            <a href={source.uri} target="_blank" rel="noopener noreferrer" dir="auto">
              {source.name}
              <span className="sr-only"> (opens in a new tab)</span>
            </a>
          ) : (
            <bdi>{source.name}</bdi>
          )}
          {source.role !== undefined && <bdi> ({source.role})</bdi>}
        </span>
      ))}
    </p>
  );
}
