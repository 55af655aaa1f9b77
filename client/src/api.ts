import { z } from "zod/mini";
import {
  type Item,
  type ItemPage,
  itemPageSchema,
  itemSchema,
  type Topic,
  topicSchema,
} from "../../shared/item";
import type { ItemStatusFilter } from "../../shared/requests";
import type { Filter } from "../../shared/search";

export class NotFoundError extends Error {}

async function getJson<T extends z.ZodMiniType>(
  url: string,
  schema: T,
  signal?: AbortSignal,
): Promise<z.infer<T>> {
  const response = await fetch(url, {
    headers: { accept: "application/json" },
    ...(signal ? { signal } : {}),
  });
  if (response.status === 404) throw new NotFoundError(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return schema.parse(await response.json());
}

/**
 * One page of `GET /api/items` for a filter; `before` is the previous page's `nextCursor`, `more`
 * further query parameters (the panel's `verification`; `keyEvent` and `through` for "Key events").
 */
export function fetchItems(
  filter: Filter,
  before: string | null,
  signal?: AbortSignal,
  status: ItemStatusFilter = "published",
  limit = 50,
  view: "public" | "full" = "public",
  more: Record<string, string> = {},
): Promise<ItemPage> {
  const params = new URLSearchParams(more);
  for (const topic of filter.topics) params.append("topic", topic);
  if (filter.q.trim() !== "") params.set("q", filter.q.trim());
  if (before !== null) params.set("before", before);
  params.set("limit", String(limit));
  if (status !== "published") params.set("status", status);
  if (view === "full") params.set("view", view);
  return getJson(`/api/items?${params}`, itemPageSchema, signal);
}

export function fetchItem(id: string, signal?: AbortSignal): Promise<Item> {
  return getJson(`/api/items/${encodeURIComponent(id)}`, itemSchema, signal);
}

export async function fetchRevisions(id: string, signal?: AbortSignal): Promise<Item[]> {
  const answer = await getJson(
    `/api/items/${encodeURIComponent(id)}/revisions`,
    z.object({ revisions: z.array(itemSchema) }),
    signal,
  );
  return answer.revisions;
}

export function fetchTopics(): Promise<Topic[]> {
  return getJson("/api/topics", z.array(topicSchema));
}
