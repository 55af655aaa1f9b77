import { type Request, Router } from "express";
import type { Topic } from "../../shared/item";
import type { Timeline } from "../timeline/timeline";
import { toNinjs } from "./ninjs";

/** Where the topic names come from: the storage, or anything else that lists topics. */
export interface TopicList {
  listTopics(): Promise<Topic[]>;
}

/**
 * The absolute URL of the item's page as the caller reaches the site, or null when the request's
 * Host header does not make a URL: the answer then goes without it rather than with a broken link.
 */
function permalinkOf(req: Request, id: string): string | null {
  const host = req.get("host");
  if (host === undefined) return null;
  try {
    return new URL(`/items/${encodeURIComponent(id)}`, `${req.protocol}://${host}`).href;
  } catch {
    return null;
  }
}

/** `GET /api/items/:id/ninjs`: the item as IPTC ninjs 3.0, to anyone, in the public view only. */
export function ninjsRoutes(timeline: Timeline, topics: TopicList): Router {
  const router = Router();

  router.get("/api/items/:id/ninjs", async (req, res) => {
    const [item, known] = await Promise.all([timeline.get(req.params.id, "public"), topics.listTopics()]);
    const topicNames = new Map(known.map((topic) => [topic.slug, topic.name]));
    res.json(toNinjs(item, { topicNames, permalink: permalinkOf(req, item.id) }));
  });

  return router;
}
