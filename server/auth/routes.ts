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
export function authRoutes(auth: Auth, guard: Guard): Router {
  const router = Router();

  // Failed logins per address and username: ten tries per quarter hour, then 429 with Retry-After.
  const loginLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => {
      const username = z.object({ username: z.string() }).safeParse(req.body);
      return `${ipKeyGenerator(req.ip ?? "unknown")}|${username.success ? username.data.username.trim().toLowerCase() : ""}`;
    },
    handler: (_req, res) => {
      res.status(429).json({
        error: { code: "too_many_attempts", message: "Too many failed logins. Wait a while and try again." },
      });
    },
  });

  router.post("/api/session", loginLimiter, async (req, res) => {
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
