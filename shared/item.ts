import { z } from "zod/mini";

/*
 * What the server stores and sends: items, changes, topics and pages of items. The reader's page
 * parses these, so they are written with zod/mini, which its bundle can shed what it does not
 * use from; request fields, with their messages, are in fields.ts.
 */

export const itemStatusSchema = z.enum(["published", "retracted"]);
export type ItemStatus = z.infer<typeof itemStatusSchema>;

/** The headline the public sees on an item withdrawn by a legal kill, in place of its own. */
export const WITHDRAWN_HEADLINE = "Withdrawn";

/**
 * Where a wire item came from: the followed source and the entry's identity in it (its guid, else
 * its link, else a hash of its title and date).
 */
export const originSchema = z.object({ sourceId: z.string(), guid: z.string() });
export type Origin = z.infer<typeof originSchema>;

/** One news item as the server stores and sends it. */
export const itemSchema = z.object({
  id: z.string().check(z.minLength(1)),
  seq: z.int().check(z.positive()),
  version: z.int().check(z.positive()),
  headline: z.string(),
  summary: z.string(),
  url: z.nullable(z.string()),
  topics: z.array(z.string()),
  breaking: z.boolean(),
  pinned: z.boolean(),
  status: itemStatusSchema,
  correction: z.nullable(z.string()),
  retractionReason: z.nullable(z.string()),
  /**
   * True on an item retracted as a legal kill: the public sees the headline "Withdrawn" and the
   * reason only. Absent on every other item (and on items stored before it existed).
   */
  withdrawn: z.optional(z.boolean()),
  source: z.nullable(z.string()),
  publishedAt: z.string(),
  updatedAt: z.string(),
  /**
   * When the content readers read (headline, summary, link, topics, source, correction) last
   * changed; null while it stands as first published. Pinning, breaking and retracting are not
   * content changes. Items stored before the field existed read as null.
   */
  contentUpdatedAt: z._default(z.nullable(z.string()), null),
  author: z.string(),
  /** Set on items that came from a followed wire; items stored before the field existed read as null. */
  origin: z._default(z.nullable(originSchema), null),
});
export type Item = z.infer<typeof itemSchema>;

export const changeKindSchema = z.enum(["created", "updated", "retracted"]);
export type ChangeKind = z.infer<typeof changeKindSchema>;

/** One committed change of the timeline: the item as it stands after change number `seq`. */
export const changeSchema = z.object({
  seq: z.int().check(z.positive()),
  kind: changeKindSchema,
  item: itemSchema,
});
export type Change = z.infer<typeof changeSchema>;

/**
 * What tells one change from any other change at the same seq: the item it wrote, that version,
 * and when (the server's clock at commit). A database restored from a backup gives the seqs of the
 * changes it lost out again, to other changes; a reader compares the change it applied last with
 * the server's change at that seq to notice. The time is part of it because the new change at a
 * lost seq may well be the same edit done again (same item, same version), a minute later.
 */
export const changeFingerprintSchema = z.object({
  itemId: z.string().check(z.minLength(1)),
  version: z.int().check(z.positive()),
  updatedAt: z.string(),
});
export type ChangeFingerprint = z.infer<typeof changeFingerprintSchema>;

/** The fingerprint of the change that wrote this version of the item (the change at `item.seq`). */
export function fingerprintOf(item: Item): ChangeFingerprint {
  return { itemId: item.id, version: item.version, updatedAt: item.updatedAt };
}

/**
 * True when `claimed` (a client's word, unchecked) is the fingerprint of the change that wrote
 * `item`. Anything that is not a fingerprint matches nothing.
 */
export function isFingerprintOf(item: Item, claimed: unknown): boolean {
  const parsed = changeFingerprintSchema.safeParse(claimed);
  return (
    parsed.success &&
    parsed.data.itemId === item.id &&
    parsed.data.version === item.version &&
    parsed.data.updatedAt === item.updatedAt
  );
}

export const topicSchema = z.object({ slug: z.string(), name: z.string() });
export type Topic = z.infer<typeof topicSchema>;

/**
 * One page of `GET /api/items`: `seq` is the timeline's position when it was read, in the
 * timeline's `epoch` (as in sync answers; optional for pages from servers before epochs).
 */
export const itemPageSchema = z.object({
  items: z.array(itemSchema),
  nextCursor: z.nullable(z.string()),
  seq: z.int().check(z.nonnegative()),
  epoch: z.optional(z.string()),
});
export type ItemPage = z.infer<typeof itemPageSchema>;
