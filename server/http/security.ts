import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import type { RequestHandler } from "express";
import helmet from "helmet";
import { EMBED_KINDS } from "../../shared/embeds";
import { HttpError } from "./errors";

export interface SecurityConfig {
  /** Origins besides the site's own that may open sockets and make cookie-authenticated calls. */
  allowedOrigins: readonly string[];
  /**
   * CSP `frame-ancestors` sources: the sites that may put the embed pages (`/embed/ticker`,
   * `/embed/feed`) in an iframe. Default: nobody. Every other page may never be framed.
   */
  frameAncestors: readonly string[];
}

const EMBED_PAGE = new RegExp(`^/embed/(?:${EMBED_KINDS.join("|")})(?:[?#]|$)`);

/** Whether a request's address is one of the pages made to be embedded on partners' sites. */
export function isEmbedPage(url: string | undefined): boolean {
  return url !== undefined && EMBED_PAGE.test(url);
}

/**
 * Whether a request's `Origin` may talk to this site: no Origin (not a browser), the site's own
 * host, or one listed in LIVEDESK_ALLOWED_ORIGINS.
 */
export function originAllowed(
  request: Pick<IncomingMessage, "headers">,
  allowed: readonly string[],
): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  const host = request.headers["x-forwarded-host"] ?? request.headers.host;
  if (host === undefined || !URL.canParse(origin)) return false;
  return new URL(origin).host === host;
}

/** helmet as this server configures it, with `frameAncestors` as the sources that may frame the page. */
function helmetWith(frameAncestors: string) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        // Only the embed pages may sit in partners' iframes: the dashboard and the panel framed by
        // another site could be overlaid to trick a reader or an operator into clicks.
        "frame-ancestors": [frameAncestors],
      },
    },
    // Embedding is governed by frame-ancestors alone, so X-Frame-Options would only contradict it.
    xFrameOptions: false,
    strictTransportSecurity: false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * The headers helmet sets with `frameAncestors`, read once from what it sets on a response: helmet
 * stays the source of every header and value, and a request pays for setting them, not for a dozen
 * middlewares rebuilding them.
 */
function headerSet(frameAncestors: string): [string, string][] {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  helmetWith(frameAncestors)(request, response, () => {});
  return Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]);
}

const HSTS = "max-age=31536000; includeSubDomains";

/**
 * Security headers on every answer: a Content-Security-Policy with no inline script and
 * connections to the site only, framing by nobody (the embed pages: by LIVEDESK_FRAME_ANCESTORS),
 * no MIME sniffing, a strict referrer policy, and HSTS when the request came over TLS.
 *
 * The two sets (embed pages, everything else) are made once, by helmet: run on every request, its
 * dozen middlewares rebuilt the policy each time, a cost every publish paid.
 */
export function securityHeaders(config: SecurityConfig): RequestHandler {
  const embedders = config.frameAncestors.length > 0 ? config.frameAncestors.join(" ") : "'none'";
  const everywhere = headerSet("'none'");
  const embedPages = headerSet(embedders);
  return (req, res, next) => {
    for (const [name, value] of isEmbedPage(req.url) ? embedPages : everywhere) res.setHeader(name, value);
    // `req.secure` asks `trust proxy` about the client's address; without X-Forwarded-Proto its
    // answer is the connection's own, so the question is only asked when the header is there.
    const secure =
      req.headers["x-forwarded-proto"] === undefined ? req.socket instanceof TLSSocket : req.secure;
    if (secure) res.setHeader("Strict-Transport-Security", HSTS);
    next();
  };
}

/**
 * Browsers send an Origin with every cross-site POST. A mutating call from a foreign origin is
 * refused unless it carries a bearer token (which a foreign page cannot have).
 */
export function refuseForeignOrigins(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const mutating = !["GET", "HEAD", "OPTIONS"].includes(req.method);
    if (mutating && req.get("authorization") === undefined && !originAllowed(req, allowed)) {
      next(new HttpError(403, "foreign_origin", "Requests from this origin are not allowed."));
      return;
    }
    next();
  };
}
