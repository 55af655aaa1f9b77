import { Router } from "express";
import { importRequestSchema } from "../../shared/import";
import { authorName } from "../auth/auth";
import type { Guard } from "../auth/guard";
import { parseInput } from "../http/errors";
import type { Timeline } from "../timeline/timeline";
import { importPlainText } from "./import";

/** `POST /api/import`: plain text in the seed's format becomes items; editors and admins only. */
export function importRoutes(timeline: Timeline, guard: Guard): Router {
  const router = Router();

  router.post("/api/import", async (req, res) => {
    const principal = await guard.requireRole(req, ["editor", "admin"]);
    const { text, topics } = parseInput(importRequestSchema, req.body);
    const author = { name: authorName(principal), principal: `${principal.kind}:${principal.id}` };
    res.json(await importPlainText(timeline, text, topics, author));
  });

  return router;
}
