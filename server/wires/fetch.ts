import { WireError } from "./errors";

/*
 * The network side of following a wire: one conditional GET with a deadline on the whole exchange
 * and a cap on the body, decoded by its declared charset. Never throws for what the wire does:
 * every failure is an answer with an error in words an admin can act on.
 */

/** No fetch, headers and body together, takes longer than this. */
export const WIRE_FETCH_TIMEOUT_MS = 15_000;
/** A body over this is cut off and refused. */
export const WIRE_BODY_MAX_BYTES = 5 * 1024 * 1024;

const USER_AGENT = "livedesk (+https://github.com/livedesk; follows this feed for a newsroom)";

/** What the wire's answer says about when to ask again. */
export interface CacheHints {
  /** `Retry-After`, in seconds from now. */
  retryAfterSeconds: number | null;
  /** `Cache-Control: max-age`, in seconds. */
  maxAgeSeconds: number | null;
}

export type FetchAnswer =
  | {
      kind: "document";
      status: number;
      text: string;
      etag: string | null;
      lastModified: string | null;
      hints: CacheHints;
    }
  | { kind: "not-modified"; status: 304; hints: CacheHints }
  /** `status` is null when no HTTP answer came at all (refused, timed out, cut). */
  | { kind: "failed"; status: number | null; error: string; hints: CacheHints };

export interface ConditionalGet {
  url: string;
  etag: string | null;
  lastModified: string | null;
  timeoutMs?: number;
  maxBytes?: number;
}

const NO_HINTS: CacheHints = { retryAfterSeconds: null, maxAgeSeconds: null };

function hintsOf(headers: Headers, now: number): CacheHints {
  const retryAfter = headers.get("retry-after");
  let retryAfterSeconds: number | null = null;
  if (retryAfter !== null) {
    if (/^\d+$/.test(retryAfter.trim())) retryAfterSeconds = Number(retryAfter.trim());
    else {
      const at = Date.parse(retryAfter);
      if (!Number.isNaN(at)) retryAfterSeconds = Math.max(0, Math.ceil((at - now) / 1000));
    }
  }
  const maxAge = /(?:^|,)\s*(?:s-)?max-age\s*=\s*"?(\d+)/i.exec(headers.get("cache-control") ?? "");
  return { retryAfterSeconds, maxAgeSeconds: maxAge?.[1] === undefined ? null : Number(maxAge[1]) };
}

/** The charset an XML document declares in its first line, if any. */
function xmlDeclaredCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 200));
  return /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1] ?? null;
}

/** Decodes by the header's charset, else the XML declaration's, else UTF-8; bytes that are not that encoding are refused. */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const declared =
    /charset\s*=\s*"?([A-Za-z0-9._-]+)/i.exec(contentType ?? "")?.[1] ?? xmlDeclaredCharset(bytes) ?? "utf-8";
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(declared, { fatal: true });
  } catch {
    throw new WireError(
      `The feed declares the character encoding "${declared}", which livedesk does not know.`,
    );
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new WireError(`The feed's bytes are not valid ${decoder.encoding} text.`);
  }
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new WireError(
        `The feed is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; livedesk stopped reading it.`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function failureText(error: unknown, timeoutMs: number): string {
  if (error instanceof WireError) return error.message;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `The wire did not answer within ${Math.round(timeoutMs / 1000)} s.`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return `The wire could not be reached: ${cause ?? message}.`;
}

/** One GET of a wire, conditional on what the last answer said (`ETag`, `Last-Modified`). */
export async function fetchWire(request: ConditionalGet): Promise<FetchAnswer> {
  const timeoutMs = request.timeoutMs ?? WIRE_FETCH_TIMEOUT_MS;
  const maxBytes = request.maxBytes ?? WIRE_BODY_MAX_BYTES;
  const headers: Record<string, string> = {
    "user-agent": USER_AGENT,
    accept:
      "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, application/json;q=0.8, text/xml;q=0.8, */*;q=0.1",
  };
  if (request.etag !== null) headers["if-none-match"] = request.etag;
  if (request.lastModified !== null) headers["if-modified-since"] = request.lastModified;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, { headers, signal, redirect: "follow" });
  } catch (error) {
    return { kind: "failed", status: null, error: failureText(error, timeoutMs), hints: NO_HINTS };
  }
  const hints = hintsOf(response.headers, Date.now());
  if (response.status === 304) {
    await response.body?.cancel().catch(() => {});
    return { kind: "not-modified", status: 304, hints };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    const error =
      response.status === 410
        ? "The wire is gone for good (HTTP 410)."
        : `The wire answered HTTP ${response.status}${response.statusText === "" ? "" : ` ${response.statusText}`}.`;
    return { kind: "failed", status: response.status, error, hints };
  }
  const length = Number(response.headers.get("content-length") ?? "0");
  try {
    if (length > maxBytes) {
      throw new WireError(
        `The feed is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; livedesk stopped reading it.`,
      );
    }
    const bytes = response.body === null ? new Uint8Array() : await readCapped(response.body, maxBytes);
    const text = decodeBody(bytes, response.headers.get("content-type"));
    return {
      kind: "document",
      status: response.status,
      text,
      etag: response.headers.get("etag"),
      lastModified: response.headers.get("last-modified"),
      hints,
    };
  } catch (error) {
    await response.body?.cancel().catch(() => {});
    return { kind: "failed", status: response.status, error: failureText(error, timeoutMs), hints };
  }
}
