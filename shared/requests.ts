import { z } from "zod";
import {
  headlineSchema,
  instantSchema,
  itemImageInputSchema,
  itemSourcesSchema,
  lineSchema,
  noteSchema,
  sourceSchema,
  summarySchema,
  topicSlugSchema,
  topicsSchema,
  urgencySchema,
  urlSchema,
  verificationInputSchema,
} from "./fields";
import {
  FILTER_TOPICS_MAX,
  PAGE_DEFAULT,
  PAGE_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  SEARCH_MAX,
  TOKEN_NAME_MAX,
  TOPIC_NAME_MAX,
  USERNAME_MAX,
  USERNAME_MIN,
} from "./limits";

/** An empty string or null clears an optional text field. */
function clearable<T extends z.ZodType<string>>(schema: T) {
  return z.union([z.literal("").transform(() => null), z.null(), schema]);
}

/**
 * `breaking` always equals urgency ≤ 3: a request that sets both must not contradict itself (one
 * that sets only one of them moves the other, see server/timeline/decisions.ts).
 */
function breakingAgreesWithUrgency(
  body: { breaking?: boolean | undefined; urgency?: number | undefined },
  ctx: z.RefinementCtx,
) {
  if (body.breaking === undefined || body.urgency === undefined) return;
  if (body.breaking !== body.urgency <= 3) {
    ctx.addIssue({
      code: "custom",
      path: ["breaking"],
      message: body.breaking
        ? "must be false when urgency is 4 or more (breaking means urgency 1–3)"
        : "must be true when urgency is 1–3 (breaking means urgency 1–3)",
    });
  }
}

/** `POST /api/items`. Unknown fields are refused so that a misspelt field is not silently dropped. */
export const createItemSchema = z
  .strictObject({
    headline: headlineSchema,
    summary: summarySchema.default(""),
    url: clearable(urlSchema).default(null),
    topics: topicsSchema,
    /** Without it, breaking follows the urgency (false when neither is given). */
    breaking: z.boolean().optional(),
    pinned: z.boolean().default(false),
    publishedAt: instantSchema.optional(),
    source: clearable(sourceSchema).default(null),
    /** Without it the urgency follows `breaking` (3 when breaking, else 5); with both, they must agree. */
    urgency: urgencySchema.optional(),
    verification: verificationInputSchema.optional(),
    keyEvent: z.boolean().optional(),
    sources: itemSourcesSchema.optional(),
    /** The picture (an id from `POST /api/media`, alt text, credit), or null for none. */
    image: itemImageInputSchema.nullable().optional(),
  })
  .superRefine(breakingAgreesWithUrgency);
export type CreateItemInput = z.infer<typeof createItemSchema>;

/** `PATCH /api/items/:id`: the version the editor started from, the fields that change, and an optional correction note. */
export const patchItemSchema = z
  .strictObject({
    version: z.number().int().positive(),
    headline: headlineSchema.optional(),
    summary: summarySchema.optional(),
    url: clearable(urlSchema).optional(),
    topics: topicsSchema.optional(),
    breaking: z.boolean().optional(),
    pinned: z.boolean().optional(),
    publishedAt: instantSchema.optional(),
    source: clearable(sourceSchema).optional(),
    correction: noteSchema.optional(),
    urgency: urgencySchema.optional(),
    verification: verificationInputSchema.optional(),
    keyEvent: z.boolean().optional(),
    sources: itemSourcesSchema.optional(),
    /** A new picture, or null to remove it. */
    image: itemImageInputSchema.nullable().optional(),
  })
  .refine(
    ({ version: _version, ...rest }) => Object.values(rest).some((value) => value !== undefined),
    "must change at least one field",
  )
  .superRefine(breakingAgreesWithUrgency);
export type PatchItemInput = z.infer<typeof patchItemSchema>;

/**
 * `POST /api/items/:id/retract`. `version` is optional: a retraction wins over any edit.
 * `withdrawHeadline` makes it a legal kill: the headline is withdrawn from the public too.
 */
export const retractItemSchema = z.strictObject({
  reason: noteSchema,
  withdrawHeadline: z.boolean().optional(),
  version: z.number().int().positive().optional(),
});
export type RetractItemInput = z.infer<typeof retractItemSchema>;

const oneOrMany = <T extends z.ZodType>(schema: T) =>
  z.union([schema, z.array(schema)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** `status` of `GET /api/items`: what readers see (`published`), only `retracted` items, or `all`. */
export const itemStatusFilterSchema = z.enum(["published", "retracted", "all"]);
export type ItemStatusFilter = z.infer<typeof itemStatusFilterSchema>;

/**
 * `verification` of `GET /api/items`: only items the desk marked so, or `none` for those nobody
 * has said anything about (`verification: null`).
 */
export const verificationFilterSchema = z.enum(["none", "unconfirmed", "confirmed", "disputed"]);
export type VerificationFilter = z.infer<typeof verificationFilterSchema>;

/** The query of `GET /api/items`. Several topics match an item carrying any of them. */
export const listItemsQuerySchema = z.object({
  topic: oneOrMany(topicSlugSchema)
    .pipe(z.array(z.string()).max(FILTER_TOPICS_MAX, `must name at most ${FILTER_TOPICS_MAX} topics`))
    .optional(),
  q: z.string().trim().max(SEARCH_MAX, `must be at most ${SEARCH_MAX} characters`).optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(PAGE_MAX, `must be at most ${PAGE_MAX}`)
    .default(PAGE_DEFAULT),
  status: itemStatusFilterSchema.default("published"),
  verification: verificationFilterSchema.optional(),
  /** `true`: key events only (the readers' "Key events" navigation); `false`: every other item. */
  keyEvent: z
    .enum(["true", "false"], "must be true or false")
    .transform((value) => value === "true")
    .optional(),
  /**
   * An item's id: the page runs on past `limit` (up to THROUGH_MAX items) until it reaches that
   * item's place in the timeline, so a reader jumping to it far down the feed loads it in one call.
   */
  through: z.string().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
});
export type ListItemsQuery = z.infer<typeof listItemsQuerySchema>;

/**
 * `?view=` of the reading calls (`GET /api/items`, `/api/items/:id`, `/api/items/:id/revisions`):
 * `public` (the default) shows a retracted item as its tombstone; `full`, for editors and admins
 * only, shows everything stored.
 */
export const viewQuerySchema = z.object({
  view: z.enum(["public", "full"], "must be public or full").default("public"),
});

export const createTopicSchema = z.strictObject({
  slug: topicSlugSchema,
  name: lineSchema(TOPIC_NAME_MAX),
});

export const roleSchema = z.enum(["admin", "editor"]);
export type Role = z.infer<typeof roleSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .min(USERNAME_MIN, `must be at least ${USERNAME_MIN} characters`)
  .max(USERNAME_MAX, `must be at most ${USERNAME_MAX} characters`)
  .regex(/^[a-zA-Z0-9._-]+$/, "must be letters, digits, dots, hyphens or underscores");

/** Length is what makes a password strong (NIST SP 800-63B): at least 10, at most 256 characters. */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

export const loginSchema = z.strictObject({
  username: z.string().trim().min(1, "is required").max(40, "must be at most 40 characters"),
  password: z.string().min(1, "is required").max(256, "must be at most 256 characters"),
});

export const createOperatorSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema,
});

/** `PATCH /api/operators/:username` (admin): a new role, disabling, or a password reset. */
export const updateOperatorSchema = z
  .strictObject({
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .refine(
    (body) => Object.values(body).some((value) => value !== undefined),
    "must change at least one field",
  );

export const renameTopicSchema = z.strictObject({ name: lineSchema(TOPIC_NAME_MAX) });

export const operatorSummarySchema = z.object({
  username: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
});
export type OperatorSummary = z.infer<typeof operatorSummarySchema>;

export const tokenSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  revoked: z.boolean(),
  createdAt: z.string(),
});
export type TokenSummary = z.infer<typeof tokenSummarySchema>;

/**
 * Every action the audit log records. A timeline change's: `item.*`, read from the change log.
 * The rest each write a line: the admin's changes (`topic.*`, `operator.*`, `token.*`), an
 * uploaded picture, a wire added, changed or removed (`source.*`), and an entry of Incoming
 * published or discarded.
 */
export const AUDIT_ACTIONS = [
  "item.created",
  "item.updated",
  "item.verification",
  "item.retracted",
  "media.uploaded",
  "source.created",
  "source.updated",
  "source.deleted",
  "incoming.published",
  "incoming.discarded",
  "topic.created",
  "topic.renamed",
  "operator.created",
  "operator.updated",
  "token.created",
  "token.revoked",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** `GET /api/audit`: one page of the log, newest first, and where the next page starts (null: none). */
export const auditPageSchema = z.object({
  /** `id` names a line uniquely: `change-<seq>` for a timeline change, `audit-<n>` for the rest. */
  entries: z.array(auditEntrySchema.extend({ id: z.string() })),
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

const auditFilter = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`).optional();

/**
 * The query of `GET /api/audit`. Each filter matches exactly: `actor` an operator's username or a
 * token's name (regardless of case), `action` such as `item.retracted`, `target` an item id, a
 * username, a topic slug or a token id.
 */
export const auditQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(500, "must be at most 500")
    .default(100),
  before: z.string().max(300).optional(),
  actor: auditFilter(100),
  action: z
    .string()
    .trim()
    .pipe(z.enum(AUDIT_ACTIONS, `must be one of ${AUDIT_ACTIONS.join(", ")}`))
    .optional(),
  target: auditFilter(200),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const createTokenSchema = z.strictObject({
  name: lineSchema(TOKEN_NAME_MAX),
  role: roleSchema,
});

export const sessionSchema = z.object({
  operator: z.object({ username: z.string(), role: roleSchema }),
  csrfToken: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

/** Every HTTP error answer. `fields` maps a field's path (`topics.0`) to what is wrong with it. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** `POST /api/media`'s answer: the picture's id for an item's `image`, and its size as kept. */
export const mediaUploadAnswerSchema = z.object({
  id: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type MediaUploadAnswer = z.infer<typeof mediaUploadAnswerSchema>;
