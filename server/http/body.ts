import express, { type Request, type RequestHandler } from "express";
import { HTTP_BODY_MAX_BYTES } from "../../shared/limits";
import { HttpError } from "./errors";

const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The Content-Types nearly every call sends, known to be JSON in UTF-8 without asking type-is. */
const PLAIN_JSON = new Set([
  "application/json",
  "application/json; charset=utf-8",
  "application/json;charset=utf-8",
]);

/** Whether `req` says its body is JSON: the common spellings at once, anything else through type-is. */
function saysJson(req: Request): boolean {
  const type = req.headers["content-type"];
  return (type !== undefined && PLAIN_JSON.has(type.toLowerCase())) || req.is("application/json") !== false;
}

/**
 * Mutating API calls take JSON only. Refusing forms and text/plain also keeps a foreign page from
 * posting to the API with a "simple" cross-site request.
 */
export const requireJson: RequestHandler = (req, _res, next) => {
  const length = req.headers["content-length"];
  const hasBody = (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
  if (WITH_BODY.has(req.method) && hasBody && !saysJson(req)) {
    next(new HttpError(415, "unsupported_media_type", "Send the request body as application/json."));
    return;
  }
  next();
};

export const parseJson: RequestHandler = express.json({ limit: HTTP_BODY_MAX_BYTES, strict: true });

/**
 * What every API call passes before its route, as one middleware: `refuseForeign` (the origin
 * check), then `requireJson`, then `parseJson`, each only when the one before let it through.
 * Three layers mounted at /api cost the router a rewrite of `req.url` and a new parse of it each,
 * on every call; one layer does it once.
 */
export function apiInput(refuseForeign: RequestHandler): RequestHandler {
  return (req, res, next) => {
    refuseForeign(req, res, (refused?: unknown) => {
      if (refused !== undefined) {
        next(refused);
        return;
      }
      requireJson(req, res, (notJson?: unknown) => {
        if (notJson !== undefined) next(notJson);
        else parseJson(req, res, next);
      });
    });
  };
}
