import { Router } from "express";
import { createTopicSchema, renameTopicSchema } from "../../shared/requests";
import type { Admin } from "../admin/admin";
import type { Guard } from "../auth/guard";
import { HttpError, parseInput } from "../http/errors";
import type { TopicStore } from "../storage/timeline-store";

/** The topics: anyone lists them; an admin creates and renames them (audited, by `Admin`). */
export function topicRoutes(topics: Pick<TopicStore, "listTopics">, admin: Admin, guard: Guard): Router {
  const router = Router();

  router.get("/api/topics", async (_req, res) => {
    res.json(await topics.listTopics());
  });

  router.post("/api/topics", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    const topic = parseInput(createTopicSchema, req.body);
    if (!(await admin.createTopic(principal, topic))) {
      throw new HttpError(409, "topic_exists", `A topic with slug "${topic.slug}" exists already.`, {
        slug: "is taken",
      });
    }
    res.status(201).json(topic);
  });

  router.patch("/api/topics/:slug", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    const { name } = parseInput(renameTopicSchema, req.body);
    if (!(await admin.renameTopic(principal, req.params.slug, name))) {
      throw new HttpError(404, "not_found", "No topic has this slug.");
    }
    res.json({ slug: req.params.slug, name });
  });

  return router;
}
