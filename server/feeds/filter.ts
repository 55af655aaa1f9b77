import type { z } from "zod";
import { listItemsQuerySchema } from "../../shared/requests";

/** The query of `GET /feed.atom` and `GET /feed.json`: the same `topic` and `q` as `GET /api/items`. */
export const feedQuerySchema = listItemsQuerySchema.pick({ topic: true, q: true });

/** A feed's filter in one canonical form: topics sorted and unique, no empty search. */
export interface FeedFilter {
  topics: readonly string[];
  q: string | undefined;
}

/** The filter a parsed query asks for, in canonical form, so equal filters name one feed. */
export function feedFilter(query: z.infer<typeof feedQuerySchema>): FeedFilter {
  const topics = [...new Set(query.topic ?? [])].sort();
  const q = query.q === undefined || query.q === "" ? undefined : query.q;
  return { topics, q };
}

/** `?topic=a&topic=b&q=…` for the filter ("" when it has none): the feeds' and the dashboard's query. */
export function filterQuery(filter: FeedFilter): string {
  const params = new URLSearchParams();
  for (const topic of filter.topics) params.append("topic", topic);
  if (filter.q !== undefined) params.set("q", filter.q);
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** Words for a feed's title: what the filter keeps, or nothing for the whole timeline. */
export function describeFilter(filter: FeedFilter): string | undefined {
  const parts: string[] = [];
  if (filter.topics.length > 0)
    parts.push(`${filter.topics.length === 1 ? "topic" : "topics"} ${filter.topics.join(", ")}`);
  if (filter.q !== undefined) parts.push(`search “${filter.q}”`);
  return parts.length === 0 ? undefined : parts.join("; ");
}
