import {
  BREAKING_URGENCY_MAX,
  type Item,
  type ItemImage,
  type Origin,
  URGENCY_DEFAULT,
} from "../../shared/item";
import type { CreateItemInput, PatchItemInput, RetractItemInput } from "../../shared/requests";
import type { Decision } from "../storage/storage";

/**
 * The urgency after a write, keeping `breaking` equal to urgency ≤ 3 (PRODUCT.md): an urgency
 * given wins (requests.ts refuses one that contradicts a `breaking` given with it); `breaking:
 * true` alone makes a routine item urgent (3), `breaking: false` alone makes a breaking one
 * routine again (5); otherwise the urgency stays.
 */
export function urgencyAfter(
  current: number,
  urgency: number | undefined,
  breaking: boolean | undefined,
): number {
  if (urgency !== undefined) return urgency;
  if (breaking === true && current > BREAKING_URGENCY_MAX) return BREAKING_URGENCY_MAX;
  if (breaking === false && current <= BREAKING_URGENCY_MAX) return URGENCY_DEFAULT;
  return current;
}

/**
 * The first version of a new item. `image` is the request's picture as the timeline resolved it
 * (with the stored picture's size), not `input.image`.
 */
export function decideCreate(
  current: Item | null,
  id: string,
  input: CreateItemInput,
  author: string,
  now: string,
  origin: Origin | null = null,
  image: ItemImage | null = null,
): Decision {
  if (current !== null) throw new Error(`item id ${id} is already taken`);
  const urgency = urgencyAfter(URGENCY_DEFAULT, input.urgency, input.breaking);
  return {
    ok: true,
    kind: "created",
    item: {
      id,
      version: 1,
      headline: input.headline,
      summary: input.summary,
      url: input.url,
      topics: input.topics,
      breaking: urgency <= BREAKING_URGENCY_MAX,
      pinned: input.pinned,
      status: "published",
      correction: null,
      retractionReason: null,
      source: input.source,
      publishedAt: input.publishedAt ?? now,
      updatedAt: now,
      contentUpdatedAt: null,
      author,
      origin,
      urgency,
      verification: input.verification ?? null,
      keyEvent: input.keyEvent ?? false,
      sources: input.sources ?? [],
      image,
    },
  };
}

/**
 * Whether an edit changed what readers read, as opposed to how the item is placed (pinned,
 * urgency, key event, time). A change of verification is not one either: it is its own kind of
 * edit, which the revision history names ("Confirmed at 14:32 by …").
 */
export function changesContent(before: Item, after: Item): boolean {
  return (
    before.headline !== after.headline ||
    before.summary !== after.summary ||
    before.url !== after.url ||
    before.source !== after.source ||
    before.correction !== after.correction ||
    JSON.stringify(before.sources) !== JSON.stringify(after.sources) ||
    JSON.stringify(before.image) !== JSON.stringify(after.image) ||
    before.topics.join("\n") !== after.topics.join("\n")
  );
}

/**
 * An edit applies only to the version the editor started from. A correction note replaces the
 * previous one; an edit without a note keeps it, since readers still need to see what was corrected.
 * `image` is the request's picture as the timeline resolved it: undefined keeps it, null removes it.
 */
export function decideEdit(
  current: Item | null,
  input: PatchItemInput,
  author: string,
  now: string,
  image?: ItemImage | null,
): Decision {
  if (current === null) return { ok: false, refusal: { code: "not_found" } };
  if (current.status === "retracted") return { ok: false, refusal: { code: "retracted", current } };
  if (current.version !== input.version) return { ok: false, refusal: { code: "version_conflict", current } };
  const { version: _version, correction, ...fields } = input;
  const item = { ...current };
  if (fields.headline !== undefined) item.headline = fields.headline;
  if (fields.summary !== undefined) item.summary = fields.summary;
  if (fields.url !== undefined) item.url = fields.url;
  if (fields.topics !== undefined) item.topics = fields.topics;
  item.urgency = urgencyAfter(current.urgency, fields.urgency, fields.breaking);
  item.breaking = item.urgency <= BREAKING_URGENCY_MAX;
  if (fields.pinned !== undefined) item.pinned = fields.pinned;
  if (fields.publishedAt !== undefined) item.publishedAt = fields.publishedAt;
  if (fields.source !== undefined) item.source = fields.source;
  if (correction !== undefined) item.correction = correction;
  if (fields.verification !== undefined) item.verification = fields.verification;
  if (fields.keyEvent !== undefined) item.keyEvent = fields.keyEvent;
  if (fields.sources !== undefined) item.sources = fields.sources;
  if (image !== undefined) item.image = image;
  const { seq: _seq, ...draft } = item;
  return {
    ok: true,
    kind: "updated",
    item: {
      ...draft,
      version: current.version + 1,
      updatedAt: now,
      contentUpdatedAt: changesContent(current, item) ? now : current.contentUpdatedAt,
      author,
    },
  };
}

/**
 * A retraction keeps the item readable by id, with the reason, and unpins it. What it stored stays
 * whole for operators; the public sees it through `publicItem` (public.ts).
 */
export function decideRetract(
  current: Item | null,
  input: RetractItemInput,
  author: string,
  now: string,
): Decision {
  if (current === null) return { ok: false, refusal: { code: "not_found" } };
  if (current.status === "retracted") return { ok: false, refusal: { code: "retracted", current } };
  if (input.version !== undefined && current.version !== input.version) {
    return { ok: false, refusal: { code: "version_conflict", current } };
  }
  const { seq: _seq, ...draft } = current;
  return {
    ok: true,
    kind: "retracted",
    item: {
      ...draft,
      version: current.version + 1,
      status: "retracted",
      pinned: false,
      breaking: false,
      // No longer breaking, so no longer urgent either (breaking equals urgency ≤ 3).
      urgency: urgencyAfter(current.urgency, undefined, false),
      retractionReason: input.reason,
      ...(input.withdrawHeadline === true ? { withdrawn: true } : {}),
      updatedAt: now,
      author,
    },
  };
}
