import type { Request } from "express";
import { Router } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { subscribeSchema, unsubscribeSchema } from "../../shared/push";
import { HttpError, parseInput } from "../http/errors";
import type { Storage } from "../storage/storage";
import { endpointProblem } from "./endpoint";
import type { PushStore } from "./store";

/** Subscribe and unsubscribe calls one address may make per quarter hour. */
export const DEFAULT_PUSH_CALLS_PER_ADDRESS = 30;

/**
 * `GET /api/push/key`, `POST /api/push/subscriptions`, `DELETE /api/push/subscriptions`: anyone
 * may subscribe (readers have no account), so the calls are limited per address and an endpoint
 * is checked before it is kept; only who holds an endpoint can end its subscription.
 */
export function pushRoutes(
  publicKey: string,
  store: PushStore,
  storage: Pick<Storage, "listTopics">,
  options: { insecureEndpoints: boolean; callsPerAddress?: number },
): Router {
  const router = Router();
  const limiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: options.callsPerAddress ?? DEFAULT_PUSH_CALLS_PER_ADDRESS,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req: Request) => ipKeyGenerator(req.ip ?? "unknown"),
    handler: (_req, res) => {
      res.status(429).json({
        error: {
          code: "too_many_requests",
          message: "Too many alert subscriptions from here. Try again later.",
        },
      });
    },
  });

  router.get("/api/push/key", (_req, res) => {
    res.json({ publicKey });
  });

  router.post("/api/push/subscriptions", limiter, async (req, res) => {
    const { subscription, topics, minUrgency } = parseInput(subscribeSchema, req.body);
    const known = new Set((await storage.listTopics()).map((topic) => topic.slug));
    const unknown = topics.filter((slug) => !known.has(slug));
    if (unknown.length > 0) {
      throw new HttpError(400, "unknown_topic", `There is no topic ${unknown.join(", ")}.`, {
        topics: `names unknown topics: ${unknown.join(", ")}`,
      });
    }
    const problem = await endpointProblem(subscription.endpoint, options.insecureEndpoints);
    if (problem !== null) {
      throw new HttpError(400, "endpoint_refused", `The push endpoint ${problem}.`, {
        "subscription.endpoint": problem,
      });
    }
    await store.saveSubscription({
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      topics,
      minUrgency,
      createdAt: new Date().toISOString(),
    });
    res.status(201).json({ topics, minUrgency });
  });

  router.delete("/api/push/subscriptions", limiter, async (req, res) => {
    const { endpoint } = parseInput(unsubscribeSchema, req.body);
    // 204 whether or not it was kept: the answer is the same for who asks twice.
    await store.deleteSubscription(endpoint);
    res.status(204).end();
  });

  return router;
}
