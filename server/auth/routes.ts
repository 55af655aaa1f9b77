import type { CookieOptions, Request } from "express";
import { Router } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { z } from "zod";
import { loginSchema } from "../../shared/requests";
import { HttpError, parseInput } from "../http/errors";
import { type Auth, type Principal, SESSION_ABSOLUTE_MS } from "./auth";
import { type Guard, SESSION_COOKIE } from "./guard";

function cookieOptions(req: Request): CookieOptions {
  return { httpOnly: true, sameSite: "strict", secure: req.secure, path: "/" };
}

function sessionAnswer(principal: Principal) {
  if (principal.kind !== "operator") {
    throw new HttpError(
      401,
      "unauthenticated",
      "API tokens have no session; log in with a username and password.",
    );
  }
  return {
    operator: { username: principal.username, role: principal.role },
    csrfToken: principal.session.csrfToken,
  };
}

/** Session login and logout. */
/** Failed logins allowed per quarter hour: per address and account, per address, per account. */
export interface LoginLimits {
  perAddressAndAccount: number;
  perAddress: number;
  perAccount: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAddressAndAccount: 10, perAddress: 50, perAccount: 30 };

export function authRoutes(auth: Auth, guard: Guard, limits: LoginLimits = DEFAULT_LOGIN_LIMITS): Router {
  const router = Router();

  // Failed logins are limited three ways, each counting only failures, each answering 429 with
  // Retry-After: one address guessing one account, one address trying many accounts, and one
  // account guessed from many addresses (so a botnet cannot grind a password).
  const usernameOf = (body: unknown) => {
    const parsed = z.object({ username: z.string() }).safeParse(body);
    return parsed.success ? parsed.data.username.trim().toLowerCase() : "";
  };
  const limiter = (limit: number, key: (req: Request) => string) =>
    rateLimit({
      windowMs: 15 * 60 * 1000,
      limit,
      skipSuccessfulRequests: true,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      keyGenerator: key,
      handler: (_req, res) => {
        res.status(429).json({
          error: {
            code: "too_many_attempts",
            message: "Too many failed logins. Wait a while and try again.",
          },
        });
      },
    });
  const address = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");
  const loginLimiters = [
    limiter(limits.perAddressAndAccount, (req) => `${address(req)}|${usernameOf(req.body)}`),
    limiter(limits.perAddress, address),
    limiter(limits.perAccount, (req) => usernameOf(req.body)),
  ];

  router.post("/api/session", ...loginLimiters, async (req, res) => {
    const { username, password } = parseInput(loginSchema, req.body);
    const result = await auth.login(username, password);
    if (result === null) throw new HttpError(401, "bad_credentials", "The username or password is wrong.");
    res.cookie(SESSION_COOKIE, result.sessionId, { ...cookieOptions(req), maxAge: SESSION_ABSOLUTE_MS });
    res.json(sessionAnswer(result.principal));
  });

  router.get("/api/session", async (req, res) => {
    res.json(sessionAnswer(await guard.require(req)));
  });

  router.delete("/api/session", async (req, res) => {
    const principal = await guard.require(req);
    await auth.logout(principal);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.status(204).end();
  });

  return router;
}
