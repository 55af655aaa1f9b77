import { parse as parseCookies } from "cookie";
import type { Request } from "express";
import type { Role } from "../../shared/requests";
import { HttpError } from "../http/errors";
import type { Auth, Principal } from "./auth";

export const SESSION_COOKIE = "livedesk_session";
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Finds who is calling: a bearer token, or a session cookie (with its CSRF token on a mutating call). */
export class Guard {
  constructor(private readonly auth: Auth) {}

  /** The caller, or null when the request carries no credentials at all. Bad credentials throw 401. */
  async identify(req: Request): Promise<Principal | null> {
    const authorization = req.get("authorization");
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const principal = match?.[1] === undefined ? null : await this.auth.fromToken(match[1]);
      if (principal === null)
        throw new HttpError(401, "unauthenticated", "The API token is not valid or was revoked.");
      return principal;
    }
    const sessionId = parseCookies(req.get("cookie") ?? "")[SESSION_COOKIE];
    if (sessionId === undefined || sessionId === "") return null;
    const principal = await this.auth.fromSession(sessionId);
    if (principal === null)
      throw new HttpError(401, "session_expired", "The session has expired; log in again.");
    return principal;
  }

  /** The logged-in caller, or 401. Cookie-authenticated mutating calls must carry the CSRF token (403). */
  async require(req: Request): Promise<Principal> {
    const principal = await this.identify(req);
    if (principal === null) throw new HttpError(401, "unauthenticated", "Log in or send an API token.");
    if (principal.kind === "operator" && !SAFE_METHODS.has(req.method)) {
      if (req.get(CSRF_HEADER) !== principal.session.csrfToken) {
        throw new HttpError(403, "csrf_failed", "The X-CSRF-Token header is missing or wrong.");
      }
    }
    return principal;
  }

  /** The caller when their role is one of `roles`; 401 without credentials, 403 with the wrong role. */
  async requireRole(req: Request, roles: readonly Role[]): Promise<Principal> {
    const principal = await this.require(req);
    if (!roles.includes(principal.role)) {
      throw new HttpError(403, "forbidden", `This needs the ${roles.join(" or ")} role.`);
    }
    return principal;
  }
}
