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

/** How sure the desk is of an item: null when nobody has said. Shown to readers as text. */
export const verificationSchema = z.nullable(z.enum(["unconfirmed", "confirmed", "disputed"]));
export type Verification = z.infer<typeof verificationSchema>;

/** The words readers read for each verification state (never colour alone). */
export const VERIFICATION_LABELS = {
  unconfirmed: "Unconfirmed",
  confirmed: "Confirmed",
  disputed: "Disputed",
} as const;

/** ninjs urgency, 1 highest to 9 lowest; 5 is the default, 1–3 are the named grades. */
export const URGENCY_DEFAULT = 5;
/** The lowest urgency that is still breaking: `breaking` is always `urgency <= BREAKING_URGENCY_MAX`. */
export const BREAKING_URGENCY_MAX = 3;
/** The named grades, by urgency. Anything from 4 to 9 is routine. */
export const URGENCY_GRADES = { 1: "Flash", 2: "Alert", 3: "Urgent" } as const;

/** The grade's name readers see ("Flash", "Alert", "Urgent"), or null for a routine item. */
export function urgencyGrade(urgency: number): "Flash" | "Alert" | "Urgent" | null {
  return urgency === 1 || urgency === 2 || urgency === 3 ? URGENCY_GRADES[urgency] : null;
}

/** One source of an item (ninjs `infosources`): who said it, in what role, and where. */
export const itemSourceSchema = z.object({
  name: z.string(),
  role: z.optional(z.string()),
  uri: z.optional(z.string()),
});
export type ItemSource = z.infer<typeof itemSourceSchema>;

/**
 * An item's picture: the uploaded image's id (served at `/media/:id?w=N`), its alt text, an
 * optional credit, and its size in pixels, taken from the stored image (never from the client), so
 * a page can give the picture its box before the bytes arrive.
 */
export const itemImageSchema = z.object({
  id: z.string(),
  alt: z.string(),
  credit: z.optional(z.string()),
  width: z.int().check(z.positive()),
  height: z.int().check(z.positive()),
});
export type ItemImage = z.infer<typeof itemImageSchema>;

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
  /**
   * ninjs urgency (1 flash, 2 alert, 3 urgent, 4–9 routine); `breaking` always equals urgency ≤ 3.
   * Items stored before the field existed read as 3 when breaking, else 5 (server/storage/rows.ts).
   */
  urgency: z._default(z.int().check(z.gte(1), z.lte(9)), URGENCY_DEFAULT),
  /** How sure the desk is; items stored before the field existed read as null (nobody said). */
  verification: z._default(verificationSchema, null),
  /** The item is one of the "Key events"; false on items stored before the field existed. */
  keyEvent: z._default(z.boolean(), false),
  /** At most 10 named sources, beside the free-text `source`; empty on older items. */
  sources: z._default(z.array(itemSourceSchema), []),
  /** The item's picture, or null; items stored before the field existed read as null. */
  image: z._default(z.nullable(itemImageSchema), null),
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
