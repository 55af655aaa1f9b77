import { z } from "zod/mini";
import { FILTER_TOPICS_MAX, TOPIC_SLUG_MAX } from "./limits";

/*
 * The embeds partner sites put in an iframe: `/embed/ticker` and `/embed/feed`, with their options
 * in the query string. The server checks the options before it serves the page (a bad one is a 400
 * naming it); the page reads them with the same schema. zod/mini, as the embed's bundle is small.
 */

/** What a partner can embed, one page each: `/embed/ticker`, `/embed/feed`. */
export const EMBED_KINDS = ["ticker", "feed"] as const;
export type EmbedKind = (typeof EMBED_KINDS)[number];

/** Most headlines one embed shows. */
export const EMBED_LIMIT_MAX = 50;
/** Headlines shown when the query names no `limit`. */
export const EMBED_LIMIT_DEFAULT: Record<EmbedKind, number> = { ticker: 10, feed: 10 };

/** `light` and `dark` force a scheme; `auto` follows the reader's system setting. */
export const EMBED_THEMES = ["auto", "light", "dark"] as const;
export type EmbedTheme = (typeof EMBED_THEMES)[number];

/** An embed's options, checked. */
export interface EmbedOptions {
  kind: EmbedKind;
  /** Items of any of these topics; none means every topic. */
  topics: string[];
  limit: number;
  theme: EmbedTheme;
  /** Headlines only: no summaries, tighter rows. */
  compact: boolean;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const querySchema = z.object({
  topic: z.array(
    z
      .string()
      .check(
        z.maxLength(TOPIC_SLUG_MAX, `must be at most ${TOPIC_SLUG_MAX} characters`),
        z.regex(SLUG, "must be topic slugs: lower-case letters and digits joined by hyphens"),
      ),
  ),
  limit: z.optional(
    z
      .string()
      .check(
        z.refine(
          (limit) => /^\d{1,3}$/.test(limit) && Number(limit) >= 1 && Number(limit) <= EMBED_LIMIT_MAX,
          `must be a whole number 1–${EMBED_LIMIT_MAX}`,
        ),
      ),
  ),
  theme: z.optional(z.enum(EMBED_THEMES, "must be auto, light or dark")),
  compact: z.optional(z.enum(["", "0", "1", "true", "false"], "must be 1 or 0")),
});

/** One bad option: the query parameter and what is wrong with it. */
export interface EmbedOptionProblem {
  field: string;
  message: string;
}

/**
 * Reads an embed's query string. Unknown parameters are ignored (a partner's cache-buster, say);
 * a bad known one is named in the answer.
 */
export function parseEmbedOptions(
  kind: EmbedKind,
  search: string,
): { options: EmbedOptions } | { problems: EmbedOptionProblem[] } {
  const params = new URLSearchParams(search);
  const one = (name: string) => params.get(name) ?? undefined;
  const parsed = querySchema.safeParse({
    topic: params.getAll("topic").filter((topic) => topic !== ""),
    limit: one("limit"),
    theme: one("theme"),
    compact: one("compact"),
  });
  if (!parsed.success)
    return {
      problems: parsed.error.issues.map((issue) => ({
        field: String(issue.path[0] ?? "query"),
        message: issue.message,
      })),
    };
  const { topic, limit, theme, compact } = parsed.data;
  const topics = [...new Set(topic)];
  if (topics.length > FILTER_TOPICS_MAX)
    return { problems: [{ field: "topic", message: `must name at most ${FILTER_TOPICS_MAX} topics` }] };
  return {
    options: {
      kind,
      topics,
      limit: limit === undefined ? EMBED_LIMIT_DEFAULT[kind] : Number(limit),
      theme: theme ?? "auto",
      compact: compact === "" || compact === "1" || compact === "true",
    },
  };
}

/** The embed page's address for these options, on the site at `origin`. */
export function embedUrl(origin: string, options: EmbedOptions): string {
  const params = new URLSearchParams();
  for (const topic of options.topics) params.append("topic", topic);
  if (options.limit !== EMBED_LIMIT_DEFAULT[options.kind]) params.set("limit", String(options.limit));
  if (options.theme !== "auto") params.set("theme", options.theme);
  if (options.compact) params.set("compact", "1");
  const query = params.toString();
  return `${origin}/embed/${options.kind}${query === "" ? "" : `?${query}`}`;
}

/**
 * Messages an embed sends to the page around it, and the only ones the loader (`/embed.js`)
 * listens to, from the embed's own origin: the height the iframe should have to show it whole.
 */
export const EMBED_HEIGHT_MESSAGE = "livedesk:embed-height";

const ATTRIBUTE_ESCAPES: Record<string, string> = { "&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;" };

function attribute(text: string): string {
  return text.replace(/[&"<>]/g, (char) => ATTRIBUTE_ESCAPES[char] ?? char);
}

/**
 * The HTML a partner pastes into their page to embed livedesk at `origin`: the div `/embed.js`
 * turns into the iframe, holding a plain link to the embed for readers without scripts.
 */
export function embedSnippet(origin: string, options: EmbedOptions): string {
  const data = [`data-livedesk="${options.kind}"`];
  if (options.topics.length > 0) data.push(`data-topic="${attribute(options.topics.join(" "))}"`);
  if (options.limit !== EMBED_LIMIT_DEFAULT[options.kind]) data.push(`data-limit="${options.limit}"`);
  if (options.theme !== "auto") data.push(`data-theme="${options.theme}"`);
  if (options.compact) data.push("data-compact");
  const text = options.kind === "ticker" ? "Breaking news on livedesk" : "News on livedesk";
  return [
    `<div ${data.join(" ")}><a href="${attribute(embedUrl(origin, options))}">${text}</a></div>`,
    `<script src="${attribute(origin)}/embed.js" async></script>`,
  ].join("\n");
}
