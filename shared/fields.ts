import { z } from "zod";
import {
  HEADLINE_MAX,
  IMAGE_ALT_MAX,
  IMAGE_CREDIT_MAX,
  ITEM_SOURCES_MAX,
  NOTE_MAX,
  SOURCE_MAX,
  SOURCE_ROLE_MAX,
  SUMMARY_MAX,
  TOPIC_SLUG_MAX,
  TOPICS_MAX,
  URL_MAX,
} from "./limits";

/**
 * The fields a request may carry, as the server checks them: plain text without control
 * characters, http(s) links, topic slugs, instants. Full zod, for its messages; the reader's page
 * never loads this (see item.ts).
 */

// C0 and C1 control characters, DEL included. Summaries and notes may keep line breaks and tabs.
const CONTROL_CHARS = /\p{Cc}/u;
const CONTROL_CHARS_BUT_LINE_BREAKS = /[^\P{Cc}\n\t]/u;

/** A topic's slug: lower-case letters and digits in words joined by single hyphens, e.g. `world-cup`. */
export const topicSlugSchema = z
  .string()
  .min(1, "must not be empty")
  .max(TOPIC_SLUG_MAX, `must be at most ${TOPIC_SLUG_MAX} characters`)
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

/** ninjs urgency: 1 (flash), 2 (alert), 3 (urgent), 4–9 routine. */
export const urgencySchema = z
  .number("must be a whole number from 1 (flash) to 9")
  .int("must be a whole number from 1 (flash) to 9")
  .min(1, "must be at least 1 (flash)")
  .max(9, "must be at most 9");

/** How sure the desk is; null (or "") when nobody has said. */
export const verificationInputSchema = z.union([
  z.literal("").transform(() => null),
  z.null(),
  z.enum(["unconfirmed", "confirmed", "disputed"], "must be unconfirmed, confirmed, disputed or null"),
]);

/** An item's named sources: at most 10 `{ name, role?, uri? }` (ninjs infosources). */
export const itemSourcesSchema = z
  .array(
    z.strictObject({
      name: sourceSchema,
      role: lineSchema(SOURCE_ROLE_MAX).optional(),
      uri: urlSchema.optional(),
    }),
  )
  .max(ITEM_SOURCES_MAX, `must name at most ${ITEM_SOURCES_MAX} sources`);

/** The id of an uploaded picture, as `POST /api/media` gives it out. */
export const mediaIdSchema = z
  .string("must be the id POST /api/media answered")
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be the id POST /api/media answered");

/**
 * An item's picture as a request sets it: the uploaded image's id, its alt text (required: a
 * picture readers cannot see must still be told) and an optional credit (`""` is none). Width and
 * height may come along (a client sending back the item's picture) but are dropped: the server
 * takes them from the stored image. Any other field is refused, so a misspelt one is not lost.
 */
export const itemImageInputSchema = z
  .strictObject({
    id: mediaIdSchema,
    alt: z
      .string("is required when an image is set")
      .trim()
      .min(1, "is required when an image is set")
      .max(IMAGE_ALT_MAX, `must be at most ${IMAGE_ALT_MAX} characters`)
      .refine((s) => !CONTROL_CHARS.test(s), "must not contain control characters"),
    credit: z.union([z.literal(""), lineSchema(IMAGE_CREDIT_MAX)]).optional(),
    width: z.unknown().optional(),
    height: z.unknown().optional(),
  })
  .transform(({ id, alt, credit }): { id: string; alt: string; credit?: string } =>
    credit === undefined || credit === "" ? { id, alt } : { id, alt, credit },
  );
export type ItemImageInput = z.infer<typeof itemImageInputSchema>;
