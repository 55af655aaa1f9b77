import type { ChangeKind } from "../../shared/item";
import type { AuditAction } from "../../shared/requests";
import type { AuditPosition, AuditRecord } from "./audit-store";

/*
 * The audit log is two sources read side by side: the audit table (origin 1) and the change log
 * (origin 0), which is the audit of the timeline and is never copied. SQLite sorts a UNION of the
 * two whole (tens of ms per page at 100,000 changes), so there a page reads at most `limit` lines
 * from each source with an index in time order, starting below the page's position, and keeps
 * the newest `limit` of both: its cost does not grow with the log. (PostgreSQL merges the union
 * through the same indexes by itself.)
 */

/** Newest first: time, then the audit table before the change log, then id or seq. */
export function compareNewestFirst(a: AuditPosition, b: AuditPosition): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.origin !== b.origin) return b.origin - a.origin;
  return b.ord - a.ord;
}

/**
 * Where one source's part of a page starts (exclusive), as `(at, ord)` to compare that source's
 * rows with: a line of the other source at the same time lies above or below all of this source's
 * lines at that time, by origin, so ord becomes above any id or seq, or below all of them.
 */
export function boundFor(
  after: AuditPosition | undefined,
  origin: 0 | 1,
): { at: string; ord: number } | undefined {
  if (after === undefined) return undefined;
  if (after.origin === origin) return { at: after.at, ord: after.ord };
  return { at: after.at, ord: origin < after.origin ? Number.MAX_SAFE_INTEGER : -1 };
}

/** The page: the newest `limit` lines of both sources' parts. */
export function mergePage(audit: AuditRecord[], changes: AuditRecord[], limit: number): AuditRecord[] {
  return [...audit, ...changes].sort((a, b) => compareNewestFirst(a.position, b.position)).slice(0, limit);
}

/**
 * Each kind of change is read back as `item.<kind>`, an action the log's filter offers: a kind
 * added to the timeline without its action fails the type check here.
 */
export type ItemAction = Listed<`item.${ChangeKind}`>;
type Listed<A extends AuditAction> = A;

/** `item.created` → `created`; an action no change of the timeline has → null (read no changes). */
export function changeKindOf(action: string | undefined): string | null | undefined {
  if (action === undefined) return undefined;
  return action.startsWith("item.") ? action.slice("item.".length) : null;
}

/**
 * The audit log's `action` and `detail` of a line of the change log, as SQL over its columns
 * (`kind`, `item_id`, `seq`, `item`); `field(table, name)` reads a field of a change's item in the
 * backend's JSON dialect. An edit that changes the item's verification is an action of its own,
 * `item.verification`, its detail the new state and the headline ("Confirmed: …"); it is told
 * from the version before it, so changes stored before this line existed read the same way.
 */
export function changeAuditColumns(field: (table: string, name: string) => string): {
  action: string;
  detail: string;
} {
  const verification = field("changes", "verification");
  const before = `(SELECT ${field("p", "verification")} FROM changes p
     WHERE p.item_id = changes.item_id AND p.seq < changes.seq ORDER BY p.seq DESC LIMIT 1)`;
  const verificationChanged = `(kind = 'updated' AND ${verification} IS DISTINCT FROM ${before})`;
  const headline = field("changes", "headline");
  const label = `CASE ${verification} WHEN 'confirmed' THEN 'Confirmed' WHEN 'unconfirmed' THEN 'Unconfirmed'
     WHEN 'disputed' THEN 'Disputed' ELSE 'Verification cleared' END`;
  return {
    action: `CASE WHEN ${verificationChanged} THEN 'item.verification' ELSE 'item.' || kind END`,
    detail: `CASE WHEN ${verificationChanged} THEN ${label} || ': ' || ${headline} ELSE ${headline} END`,
  };
}
