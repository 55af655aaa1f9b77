import { Router } from "express";
import { createTopicSchema } from "../../shared/requests";
import type { Guard } from "../auth/guard";
import { HttpError, parseInput } from "../http/errors";
import type { Storage } from "../storage/storage";

export function topicRoutes(storage: Storage, guard: Guard): Router {
  const router = Router();

  router.get("/api/topics", async (_req, res) => {
    res.json(await storage.listTopics());
  });

  router.post("/api/topics", async (req, res) => {
    await guard.requireRole(req, ["admin"]);
    const topic = parseInput(createTopicSchema, req.body);
    if (!(await storage.createTopic(topic))) {
      throw new HttpError(409, "topic_exists", `A topic with slug "${topic.slug}" exists already.`, {
        slug: "is taken",
      });
    }
    res.status(201).json(topic);
  });

  return router;
}
