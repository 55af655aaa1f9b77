import type { EmbedOptions } from "../../../shared/embeds";
import type { Item } from "../../../shared/item";

/**
 * What an embed shows of the timeline, newest first: published items of its topics (any of them;
 * none named means all), breaking ones only for the ticker, at most `limit`. A retracted item
 * leaves a partner's page at once: the permalink, one click away, carries its notice.
 */
export function embedItems(items: readonly Item[], options: EmbedOptions): Item[] {
  const shown: Item[] = [];
  for (const item of items) {
    if (shown.length === options.limit) break;
    if (item.status !== "published") continue;
    if (options.kind === "ticker" && !item.breaking) continue;
    if (options.topics.length > 0 && !item.topics.some((topic) => options.topics.includes(topic))) continue;
    shown.push(item);
  }
  return shown;
}
