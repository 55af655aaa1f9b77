import { z } from "zod";
import { apiFieldsOf, type ItemFieldValues } from "./ItemFields";

const draftSchema = z.object({
  /** New for each draft, so the same words written twice (two "Goal!" in a match) are two items. */
  nonce: z.string().min(1),
  headline: z.string(),
  summary: z.string(),
  url: z.string(),
  topics: z.array(z.string()),
  breaking: z.boolean(),
  pinned: z.boolean(),
  // Drafts kept from before the signals existed take the defaults.
  urgency: z.number().int().min(1).max(9).default(5),
  verification: z.enum(["", "unconfirmed", "confirmed", "disputed"]).default(""),
  keyEvent: z.boolean().default(false),
  sources: z.string().default(""),
  image: z
    .object({
      id: z.string(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      alt: z.string(),
      credit: z.string(),
    })
    .nullable()
    .default(null),
  /**
   * The Idempotency-Key of a publish whose answer never came. It may or may not have made an item,
   * so the next publish sends it again, whatever the draft says by then: the server either
   * publishes the draft under it (the first try never arrived) or answers with the item it made.
   */
  unanswered: z.string().nullable(),
});
export type Draft = z.infer<typeof draftSchema>;

/**
 * What the composer sends for a draft: the item's fields, nothing of the bookkeeping (a `Draft`
 * carries its nonce and unanswered key too). Typed as the fields, so a new one cannot be left out.
 */
export function itemBodyOf(draft: ItemFieldValues) {
  const fields: ItemFieldValues = {
    headline: draft.headline,
    summary: draft.summary,
    url: draft.url,
    topics: draft.topics,
    breaking: draft.breaking,
    pinned: draft.pinned,
    urgency: draft.urgency,
    verification: draft.verification,
    keyEvent: draft.keyEvent,
    sources: draft.sources,
    image: draft.image,
  };
  return apiFieldsOf(fields);
}

export function newDraft(): Draft {
  return {
    nonce: crypto.randomUUID(),
    headline: "",
    summary: "",
    url: "",
    topics: [],
    breaking: false,
    pinned: false,
    urgency: 5,
    verification: "",
    keyEvent: false,
    sources: "",
    image: null,
    unanswered: null,
  };
}

/** cyrb53: a fast 53-bit string hash; it only has to tell apart the versions of one draft. */
function digest(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The Idempotency-Key for publishing `draft` now. A key belongs to one content: the server refuses
 * a key sent again with a different body, so a changed draft gets a new key, and the same draft
 * sent again (a retry, a second tab holding a copy) gets the same key and so makes one item only.
 * The one exception is a key still waiting for its answer (see `unanswered`).
 */
export function idempotencyKeyOf(draft: Draft): string {
  return draft.unanswered ?? `${draft.nonce}.${digest(JSON.stringify(itemBodyOf(draft)))}`;
}

// Drafts used to live in localStorage under this name, shared by every tab and every operator of
// the browser: the next operator saw the last one's draft.
const SHARED_DRAFT = "livedesk:draft:v1";

function storageKey(username: string): string {
  return `livedesk:draft:v2:${username}`;
}

/**
 * The draft this operator left in this tab, or a fresh one. Drafts are kept per tab
 * (sessionStorage: a reload keeps it, another tab has its own) and per operator (the next
 * operator on the same browser starts empty).
 */
export function loadDraft(username: string): Draft {
  try {
    window.localStorage.removeItem(SHARED_DRAFT);
    const raw = window.sessionStorage.getItem(storageKey(username));
    const saved = raw === null ? null : draftSchema.safeParse(JSON.parse(raw));
    if (saved?.success) return saved.data;
  } catch {
    // A draft that cannot be read is lost; a fresh one starts.
  }
  return newDraft();
}

export function saveDraft(username: string, draft: Draft): void {
  try {
    window.sessionStorage.setItem(storageKey(username), JSON.stringify(draft));
  } catch {
    // Full or disabled storage only costs the draft on a reload.
  }
}

/** On logout: a shared browser keeps nothing the operator wrote. */
export function forgetDraft(username: string): void {
  try {
    window.sessionStorage.removeItem(storageKey(username));
  } catch {
    // Nothing was kept.
  }
}
