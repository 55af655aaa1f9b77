import type { SyncChanges, SyncReset } from "../../shared/events";
import { type Change, type Item, WITHDRAWN_HEADLINE } from "../../shared/item";

/*
 * What the public may see of the timeline. A retraction takes the item's text back from every
 * reader alike: the permalink, the revision history, lists, sync answers and live changes all show
 * a retracted item only as its tombstone — its headline (or "Withdrawn" after a legal kill), the
 * reason and the time of the retraction (`updatedAt`) — and show every earlier version of it the
 * same way, since an earlier version's text is what was retracted. Storage keeps everything, for
 * operators; every public answer passes through here on its way out.
 */

/** Who is asking: readers get the public projection, operators who ask for it (`?view=full`) everything. */
export type View = "public" | "full";

/** `version` of an item as the tombstone of `retracted` (its latest, retracted version) shows it. */
function asTombstone(version: Item, retracted: Item): Item {
  const withdrawn = retracted.withdrawn === true;
  return {
    ...version,
    headline: withdrawn ? WITHDRAWN_HEADLINE : retracted.headline,
    summary: "",
    url: null,
    correction: null,
    source: withdrawn ? null : version.source,
    sources: withdrawn ? [] : version.sources,
    // The picture was part of what was retracted.
    image: null,
    ...(withdrawn ? { withdrawn: true } : {}),
  };
}

/** The item as the public sees it: itself while published, its tombstone once retracted. */
export function publicItem(item: Item): Item {
  return item.status === "retracted" ? asTombstone(item, item) : item;
}

/** Every version of an item, oldest first, as the public sees them: all as tombstones once the last is retracted. */
export function publicRevisions(revisions: readonly Item[]): Item[] {
  const latest = revisions.at(-1);
  if (latest?.status !== "retracted") return [...revisions];
  return revisions.map((version) => asTombstone(version, latest));
}

/** A live change as the public sees it. A change before a retraction went out while it was public. */
export function publicChange(change: Change): Change {
  return change.item.status === "retracted" ? { ...change, item: publicItem(change.item) } : change;
}

/**
 * Changes as the public sees them: a retraction among them hides the text of that item's earlier
 * changes too, so a reader catching up never receives what was retracted meanwhile.
 */
function publicChanges(changes: readonly Change[]): readonly Change[] {
  const retractions = new Map<string, Item>();
  for (const change of changes) {
    if (change.item.status === "retracted") retractions.set(change.item.id, change.item);
  }
  if (retractions.size === 0) return changes;
  return changes.map((change) => {
    const retracted = retractions.get(change.item.id);
    return retracted === undefined ? change : { ...change, item: asTombstone(change.item, retracted) };
  });
}

// A reconnect storm shares one reset answer among many readers: it is projected once.
const projected = new WeakMap<SyncChanges | SyncReset, SyncChanges | SyncReset>();

/** A `timeline:sync` answer as the public sees it. */
export function publicSync<T extends SyncChanges | SyncReset>(answer: T): T;
export function publicSync(answer: SyncChanges | SyncReset): SyncChanges | SyncReset {
  const known = projected.get(answer);
  if (known !== undefined) return known;
  let shown: SyncChanges | SyncReset;
  if ("reset" in answer) {
    const items = answer.items.map(publicItem);
    shown = items.every((item, i) => item === answer.items[i]) ? answer : { ...answer, items };
  } else {
    const changes = publicChanges(answer.changes);
    shown = changes === answer.changes ? answer : { ...answer, changes: [...changes] };
  }
  projected.set(answer, shown);
  return shown;
}
