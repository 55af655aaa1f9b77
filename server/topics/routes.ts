import { Router } from "express";
import { createTopicSchema, renameTopicSchema } from "../../shared/requests";
import { audit } from "../admin/audit";
import type { Guard } from "../auth/guard";
import { HttpError, parseInput } from "../http/errors";
import type { Storage } from "../storage/storage";

export function topicRoutes(storage: Storage, guard: Guard): Router {
  const router = Router();

  router.get("/api/topics", async (_req, res) => {
    res.json(await storage.listTopics());
  });

  router.post("/api/topics", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    const topic = parseInput(createTopicSchema, req.body);
    if (!(await storage.createTopic(topic))) {
      throw new HttpError(409, "topic_exists", `A topic with slug "${topic.slug}" exists already.`, {
        slug: "is taken",
      });
    }
    await audit(storage, principal, "topic.created", topic.slug, topic.name);
    res.status(201).json(topic);
  });

  router.patch("/api/topics/:slug", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    const { name } = parseInput(renameTopicSchema, req.body);
    if (!(await storage.renameTopic(req.params.slug, name))) {
      throw new HttpError(404, "not_found", "No topic has this slug.");
    }
    await audit(storage, principal, "topic.renamed", req.params.slug, name);
    res.json({ slug: req.params.slug, name });
  });

  return router;
}
