import type { ItemDraft } from "../../server/storage/storage";
import type { Item } from "../../shared/item";

/** A plain published item for tests that build items without the server: change what matters. */
export function sampleDraft(id: string, fields: Partial<ItemDraft> = {}): ItemDraft {
  return {
    id,
    version: 1,
    headline: `Headline ${id}`,
    summary: "",
    url: null,
    topics: ["world"],
    breaking: false,
    pinned: false,
    status: "published",
    correction: null,
    retractionReason: null,
    source: null,
    publishedAt: "2026-03-01T10:00:00.000Z",
    updatedAt: "2026-03-01T10:00:00.000Z",
    contentUpdatedAt: null,
    author: "test",
    origin: null,
    urgency: fields.breaking === true ? 3 : 5,
    verification: null,
    keyEvent: false,
    sources: [],
    image: null,
    ...fields,
  };
}

export function sampleItem(id: string, fields: Partial<Item> = {}): Item {
  return { seq: 1, ...sampleDraft(id, fields), ...fields };
}
