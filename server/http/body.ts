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

/** body-parser's JSON reader: every case the fast path below leaves to it, with the same answers. */
const bodyParserJson: RequestHandler = express.json({ limit: HTTP_BODY_MAX_BYTES, strict: true });

const invalidJson = () => new HttpError(400, "invalid_json", "The request body is not valid JSON.");
const unreadable = () => new HttpError(400, "bad_request", "The request could not be read.");
/** JSON's whitespace (space, tab, line feed, carriage return), then the first character that is not. */
const FIRST_NON_WHITESPACE = /^[ \t\n\r]*(.)/;

/** JSON text as body-parser's strict mode takes it: an object or array, or nothing at all ({}). */
function parseStrict(text: string): unknown {
  if (text.length === 0) return {};
  const first = text[0] === "{" || text[0] === "[" ? text[0] : FIRST_NON_WHITESPACE.exec(text)?.[1];
  if (first !== "{" && first !== "[") throw invalidJson();
  try {
    return JSON.parse(text);
  } catch {
    throw invalidJson();
  }
}

/**
 * The API's JSON body parser. A publish pays for its body parsing on the server's one thread, and
 * body-parser's general path (type-is, content-type, iconv-lite, raw-body, http-errors) cost about
 * a twentieth of a publish's CPU. The call nearly every tool makes — plain `application/json`
 * (UTF-8), not compressed, with a Content-Length within the limit — is read here directly, with
 * the answers body-parser gives: a UTF-8 byte-order mark dropped, strict JSON (an object or an
 * array; an empty body is `{}`), 400 `invalid_json` otherwise, 400 `bad_request` when the body
 * breaks off. Everything else (other charsets, Content-Encoding, chunked bodies, an empty or
 * oversized Content-Length) goes to body-parser as before (tests/api/body.test.ts).
 */
export const parseJson: RequestHandler = (req, res, next) => {
  const declared = req.headers["content-length"];
  const type = req.headers["content-type"];
  const length = declared === undefined ? Number.NaN : Number(declared);
  if (
    !(length > 0 && length <= HTTP_BODY_MAX_BYTES) ||
    type === undefined ||
    !PLAIN_JSON.has(type.toLowerCase()) ||
    req.headers["content-encoding"] !== undefined ||
    req.headers["transfer-encoding"] !== undefined ||
    req.readableEnded
  ) {
    bodyParserJson(req, res, next);
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    received += chunk.length;
  };
  const finish = (error: HttpError | undefined) => {
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("error", onFailure);
    next(error);
  };
  const onEnd = () => {
    if (received !== length) {
      finish(unreadable());
      return;
    }
    const [only] = chunks;
    let text = (chunks.length === 1 && only !== undefined ? only : Buffer.concat(chunks, received)).toString(
      "utf8",
    );
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      req.body = parseStrict(text);
    } catch (error) {
      finish(error instanceof HttpError ? error : invalidJson());
      return;
    }
    finish(undefined);
  };
  // A tool breaking off mid-body: Node destroys the request and, as something listens, emits the
  // "aborted" error here (tests/api/body.test.ts).
  const onFailure = () => finish(unreadable());
  req.on("data", onData);
  req.once("end", onEnd);
  req.once("error", onFailure);
};

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
