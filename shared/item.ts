import { z } from "zod";
import { HEADLINE_MAX, NOTE_MAX, SOURCE_MAX, SUMMARY_MAX, TOPICS_MAX, URL_MAX } from "./limits";

// C0 and C1 control characters, DEL included. Summaries and notes may keep line breaks and tabs.
const CONTROL_CHARS = /\p{Cc}/u;
const CONTROL_CHARS_BUT_LINE_BREAKS = /[^\P{Cc}\n\t]/u;

/** A topic's slug: lower-case letters and digits in words joined by single hyphens, e.g. `world-cup`. */
export const topicSlugSchema = z
  .string()
  .min(1, "must not be empty")
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case letters and digits joined by hyphens");

/** One line of plain text: trimmed, no control characters. */
export function lineSchema(max: number) {
  return z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARS.test(s), "must not contain control characters");
}

/** Plain text that may span lines: line breaks are normalised to `\n`, other control characters refused. */
export function textSchema(max: number) {
  return z
    .string()
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .max(max, `must be at most ${max} characters`)
        .refine((s) => !CONTROL_CHARS_BUT_LINE_BREAKS.test(s), "must not contain control characters"),
    );
}

export const headlineSchema = lineSchema(HEADLINE_MAX);
export const summarySchema = textSchema(SUMMARY_MAX);
export const noteSchema = textSchema(NOTE_MAX).refine((s) => s.length > 0, "must not be empty");
export const sourceSchema = lineSchema(SOURCE_MAX);

/** A link readers may follow: absolute http or https only, so no `javascript:` or `data:` can slip in. */
export const urlSchema = z
  .string()
  .trim()
  .max(URL_MAX, `must be at most ${URL_MAX} characters`)
  .refine((s) => {
    if (!URL.canParse(s)) return false;
    const { protocol, hostname } = new URL(s);
    return (protocol === "http:" || protocol === "https:") && hostname.length > 0;
  }, "must be an http or https address");

/** 1–10 topic slugs; duplicates are dropped, order kept. */
export const topicsSchema = z
  .array(topicSlugSchema)
  .min(1, "must name at least one topic")
  .max(TOPICS_MAX, `must name at most ${TOPICS_MAX} topics`)
  .transform((slugs) => [...new Set(slugs)]);

/** An ISO 8601 instant with a timezone, normalised to UTC with milliseconds. */
export const instantSchema = z.iso
  .datetime({ offset: true, error: "must be an ISO 8601 date and time with a timezone" })
  .transform((s) => new Date(s).toISOString());

export const itemStatusSchema = z.enum(["published", "retracted"]);
export type ItemStatus = z.infer<typeof itemStatusSchema>;

/** One news item as the server stores and sends it. */
export const itemSchema = z.object({
  id: z.string().min(1),
  seq: z.number().int().positive(),
  version: z.number().int().positive(),
  headline: z.string(),
  summary: z.string(),
  url: z.string().nullable(),
  topics: z.array(z.string()),
  breaking: z.boolean(),
  pinned: z.boolean(),
  status: itemStatusSchema,
  correction: z.string().nullable(),
  retractionReason: z.string().nullable(),
  source: z.string().nullable(),
  publishedAt: z.string(),
  updatedAt: z.string(),
  author: z.string(),
});
export type Item = z.infer<typeof itemSchema>;

export const changeKindSchema = z.enum(["created", "updated", "retracted"]);
export type ChangeKind = z.infer<typeof changeKindSchema>;

/** One committed change of the timeline: the item as it stands after change number `seq`. */
export const changeSchema = z.object({
  seq: z.number().int().positive(),
  kind: changeKindSchema,
  item: itemSchema,
});
export type Change = z.infer<typeof changeSchema>;

export const topicSchema = z.object({ slug: z.string(), name: z.string() });
export type Topic = z.infer<typeof topicSchema>;
