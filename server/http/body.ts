import express, { type RequestHandler } from "express";
import { HTTP_BODY_MAX_BYTES } from "../../shared/limits";
import { HttpError } from "./errors";

const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Mutating API calls take JSON only. Refusing forms and text/plain also keeps a foreign page from
 * posting to the API with a "simple" cross-site request.
 */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = req.get("content-length") !== undefined && req.get("content-length") !== "0";
  if (
    WITH_BODY.has(req.method) &&
    (hasBody || req.get("transfer-encoding") !== undefined) &&
    !req.is("application/json")
  ) {
    next(new HttpError(415, "unsupported_media_type", "Send the request body as application/json."));
    return;
  }
  next();
};

export const parseJson: RequestHandler = express.json({ limit: HTTP_BODY_MAX_BYTES, strict: true });
