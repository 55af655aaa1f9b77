import type { Request } from "express";

/*
 * Conditional GET (RFC 9110 §13): decided from the ETag and Last-Modified alone, before anything
 * is read or rendered.
 */

/** The entity tags of an `If-None-Match` header; `*` matches any. Weak tags compare as strong ones here (RFC 9110 §8.8.3.2). */
function tagsOf(header: string): string[] {
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .filter((tag) => tag !== "");
}

/** True when the request's `If-None-Match` names `etag` (or is `*`). */
export function noneMatchNames(req: Request, etag: string): boolean {
  const noneMatch = req.get("if-none-match");
  if (noneMatch === undefined) return false;
  const tags = tagsOf(noneMatch);
  return tags.includes("*") || tags.includes(etag);
}

/**
 * True when the client's copy is current: `If-None-Match` names the ETag (or is `*`), or, without
 * `If-None-Match`, `If-Modified-Since` is not older than `lastModified` (to the second).
 */
export function notModified(req: Request, etag: string, lastModified: Date): boolean {
  if (req.get("if-none-match") !== undefined) return noneMatchNames(req, etag);
  const modifiedSince = req.get("if-modified-since");
  if (modifiedSince === undefined) return false;
  const since = Date.parse(modifiedSince);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}
