import { z } from "zod";
import {
  headlineSchema,
  instantSchema,
  itemImageInputSchema,
  sourceSchema,
  summarySchema,
  topicsSchema,
  urlSchema,
} from "./fields";

/*
 * Followed wires (RSS, Atom and JSON Feed sources) and the entries they hold for an operator:
 * the requests and answers of `/api/sources` and `/api/incoming`.
 */

/** The interval between two fetches of a wire never goes below this, whatever anyone asks. */
export const WIRE_INTERVAL_MIN_SECONDS = 30;
/** The interval of a wire whose publishing rhythm is not known yet. */
export const WIRE_INTERVAL_DEFAULT_SECONDS = 300;
/** The longest interval anyone may set, a day. */
export const WIRE_INTERVAL_MAX_SECONDS = 24 * 60 * 60;

/** `publish`: new entries go straight to the timeline; `hold`: they wait in Incoming for an operator. */
export const sourceModeSchema = z.enum(["publish", "hold"]);
export type SourceMode = z.infer<typeof sourceModeSchema>;

const intervalSchema = z
  .number()
  .int("must be a whole number of seconds")
  .min(WIRE_INTERVAL_MIN_SECONDS, `must be at least ${WIRE_INTERVAL_MIN_SECONDS} seconds`)
  .max(WIRE_INTERVAL_MAX_SECONDS, `must be at most ${WIRE_INTERVAL_MAX_SECONDS} seconds`);

/** `POST /api/sources`. Without `intervalSeconds` the interval adapts to how often the wire publishes. */
export const createSourceSchema = z.strictObject({
  url: urlSchema,
  name: sourceSchema,
  topics: topicsSchema,
  mode: sourceModeSchema.default("publish"),
  intervalSeconds: intervalSchema.nullable().default(null),
  enabled: z.boolean().default(true),
});
export type CreateSourceInput = z.infer<typeof createSourceSchema>;

/** `PATCH /api/sources/:id`: the fields that change. Enabling a wire again clears its errors. */
export const patchSourceSchema = z
  .strictObject({
    url: urlSchema.optional(),
    name: sourceSchema.optional(),
    topics: topicsSchema.optional(),
    mode: sourceModeSchema.optional(),
    intervalSeconds: intervalSchema.nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .refine(
    (patch) => Object.values(patch).some((value) => value !== undefined),
    "must change at least one field",
  );
export type PatchSourceInput = z.infer<typeof patchSourceSchema>;

/** A followed wire and its health, as `GET /api/sources` shows it. */
export const wireSourceSchema = z.object({
  id: z.string(),
  url: z.string(),
  name: z.string(),
  topics: z.array(z.string()),
  mode: sourceModeSchema,
  enabled: z.boolean(),
  /** What an admin set; null when the interval adapts. */
  intervalSeconds: z.number().nullable(),
  lastFetchedAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  /** The HTTP status of the last answer; null before the first fetch or when none came. */
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  nextFetchAt: z.string(),
  consecutiveErrors: z.number(),
  /** Why livedesk stopped following it (HTTP 410, or 10 failures in a row); null while it follows. */
  disabledReason: z.string().nullable(),
  entriesCreated: z.number(),
});
export type WireSource = z.infer<typeof wireSourceSchema>;

/** What one fetch of a wire did, as `POST /api/sources/:id/poll` answers. */
export const pollResultSchema = z.object({
  created: z.number(),
  updated: z.number(),
  held: z.number(),
  skipped: z.number(),
});
export type PollResult = z.infer<typeof pollResultSchema>;

/** A wire entry held for an operator (`GET /api/incoming`). */
export const incomingEntrySchema = z.object({
  id: z.string(),
  sourceId: z.string(),
  sourceName: z.string(),
  guid: z.string(),
  headline: z.string(),
  summary: z.string(),
  url: z.string().nullable(),
  publishedAt: z.string(),
  receivedAt: z.string(),
});
export type IncomingEntry = z.infer<typeof incomingEntrySchema>;

/** `POST /api/incoming/:id/publish`: optional edits an operator makes before publishing. */
export const publishIncomingSchema = z.strictObject({
  headline: headlineSchema.optional(),
  summary: summarySchema.optional(),
  url: urlSchema.nullable().optional(),
  topics: topicsSchema.optional(),
  breaking: z.boolean().optional(),
  pinned: z.boolean().optional(),
  publishedAt: instantSchema.optional(),
  /** A picture (an id from `POST /api/media`, alt text, credit) to publish the entry with. */
  image: itemImageInputSchema.nullable().optional(),
});
export type PublishIncomingInput = z.infer<typeof publishIncomingSchema>;
