import type { ErrorRequestHandler } from "express";
import type { Logger } from "pino";
import { type ZodType, z } from "zod";
import type { Item } from "../../shared/item";
import { asStorageError, type StorageError } from "../storage/errors";
import { TimelineError } from "../timeline/timeline";

/** An error answer: `{ error: { code, message, fields? } }` with `status`, plus extra top-level members. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly extra: { current?: Item } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Seconds a client is asked to wait before retrying a call the storage could not take. */
export const STORAGE_RETRY_AFTER_SECONDS = 2;
/** A full disk takes someone to free space: retrying sooner than this only adds load. */
const FULL_RETRY_AFTER_SECONDS = 30;

/**
 * A storage failure as an answer: 503 `storage_unavailable` with `Retry-After` while the storage
 * is down or slow past its deadline, 507 `storage_full` when its disk is full. Either way nothing
 * was committed, and a retry with the same `Idempotency-Key` cannot make a second item.
 */
export function storageAnswer(error: StorageError): HttpError {
  return error.kind === "full"
    ? new HttpError(
        507,
        "storage_full",
        "The server's storage is full; nothing was saved. Try again once space is freed.",
        undefined,
        {},
        { "Retry-After": String(FULL_RETRY_AFTER_SECONDS) },
      )
    : new HttpError(
        503,
        "storage_unavailable",
        "The server's storage does not answer right now; nothing was saved. Try again shortly.",
        undefined,
        {},
        { "Retry-After": String(STORAGE_RETRY_AFTER_SECONDS) },
      );
}

/** Maps each failing path of a zod error to its message: `{ "topics.0": "must be …" }`. */
export function fieldsOf(error: z.ZodError, prefix?: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const keys =
      issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    for (const path of keys) {
      const name =
        [prefix, ...path.map(String)].filter((part) => part !== undefined && part !== "").join(".") || "body";
      const message = issue.code === "unrecognized_keys" ? "is not a known field" : issue.message;
      fields[name] ??= message;
    }
  }
  return fields;
}

/** Parses untrusted input or throws a 400 naming every bad field. */
export function parseInput<T extends ZodType>(schema: T, input: unknown, what = "request body"): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = fieldsOf(parsed.error);
  throw new HttpError(
    400,
    "invalid_input",
    `The ${what} has ${Object.keys(fields).length === 1 ? "a bad field" : "bad fields"}: ${Object.keys(fields).join(", ")}.`,
    fields,
  );
}

const TIMELINE_STATUS = {
  not_found: 404,
  version_conflict: 409,
  retracted: 409,
  invalid_input: 400,
  idempotency_key_reused: 422,
} as const;

// What body-parser attaches to the errors it throws.
const bodyParserError = z.object({ type: z.string(), status: z.number().int() });

function toHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  const storage = asStorageError(error);
  if (storage !== null) return storageAnswer(storage);
  if (error instanceof TimelineError) {
    return new HttpError(TIMELINE_STATUS[error.code], error.code, error.message, error.details.fields, {
      ...(error.details.current === undefined ? {} : { current: error.details.current }),
    });
  }
  const parsed = bodyParserError.safeParse(error);
  if (!parsed.success) return null;
  switch (parsed.data.type) {
    case "entity.too.large":
      return new HttpError(413, "payload_too_large", "The request body is larger than 1 MB.");
    case "entity.parse.failed":
      return new HttpError(400, "invalid_json", "The request body is not valid JSON.");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new HttpError(
        415,
        "unsupported_encoding",
        "The request body's encoding or charset is not supported.",
      );
    default:
      return parsed.data.status >= 400 && parsed.data.status < 500
        ? new HttpError(parsed.data.status, "bad_request", "The request could not be read.")
        : null;
  }
}

/** The one place errors become answers. Anything unexpected is logged and answered 500 without detail. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const known = toHttpError(error);
    if (known === null) {
      logger.error({ err: error }, "request failed");
      res.status(500).json({ error: { code: "internal", message: "Something went wrong on the server." } });
      return;
    }
    if (known.status >= 500) logger.warn({ err: error }, `answered ${known.status} ${known.code}`);
    res.set(known.headers);
    res.status(known.status).json({
      error: {
        code: known.code,
        message: known.message,
        ...(known.fields === undefined ? {} : { fields: known.fields }),
      },
      ...known.extra,
    });
  };
}
