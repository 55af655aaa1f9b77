import type { Item, Origin } from "../../shared/item";
import type { CreateItemInput, PatchItemInput, RetractItemInput } from "../../shared/requests";
import type { Decision } from "../storage/storage";

/** The first version of a new item. */
export function decideCreate(
  current: Item | null,
  id: string,
  input: CreateItemInput,
  author: string,
  now: string,
  origin: Origin | null = null,
): Decision {
  if (current !== null) throw new Error(`item id ${id} is already taken`);
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
      breaking: input.breaking,
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
    },
  };
}

/** Whether an edit changed what readers read, as opposed to how the item is placed (pinned, breaking, time). */
export function changesContent(before: Item, after: Item): boolean {
  return (
    before.headline !== after.headline ||
    before.summary !== after.summary ||
    before.url !== after.url ||
    before.source !== after.source ||
    before.correction !== after.correction ||
    before.topics.join("\n") !== after.topics.join("\n")
  );
}

/**
 * An edit applies only to the version the editor started from. A correction note replaces the
 * previous one; an edit without a note keeps it, since readers still need to see what was corrected.
 */
export function decideEdit(
  current: Item | null,
  input: PatchItemInput,
  author: string,
  now: string,
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
  if (fields.breaking !== undefined) item.breaking = fields.breaking;
  if (fields.pinned !== undefined) item.pinned = fields.pinned;
  if (fields.publishedAt !== undefined) item.publishedAt = fields.publishedAt;
  if (fields.source !== undefined) item.source = fields.source;
  if (correction !== undefined) item.correction = correction;
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
      retractionReason: input.reason,
      ...(input.withdrawHeadline === true ? { withdrawn: true } : {}),
      updatedAt: now,
      author,
    },
  };
}
