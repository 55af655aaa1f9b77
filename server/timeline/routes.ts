import { type Request, type Response, Router } from "express";
import { z } from "zod";
import {
  createItemSchema,
  listItemsQuerySchema,
  patchItemSchema,
  retractItemSchema,
  viewQuerySchema,
} from "../../shared/requests";
import { authorName, type Principal } from "../auth/auth";
import type { Guard } from "../auth/guard";
import { HttpError, parseInput } from "../http/errors";
import type { View } from "./public";
import type { Author, Timeline } from "./timeline";

const WRITERS = ["editor", "admin"] as const;

const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "must be 1–200 visible ASCII characters");

function author(principal: Principal): Author {
  return { name: authorName(principal), principal: `${principal.kind}:${principal.id}` };
}

/**
 * What a reading call shows: the public view to anyone, whoever they are (an operator reading the
 * reader's page sees what readers see), and the full one — a retraction's hidden text included —
 * only to an editor or admin who asks for it with `?view=full`.
 */
async function viewOf(req: Request, res: Response, guard: Guard): Promise<View> {
  const { view } = parseInput(viewQuerySchema, req.query, "query");
  if (view === "public") return "public";
  await guard.requireRole(req, WRITERS);
  // No cache may keep an operator's answer for the next caller.
  res.set("Cache-Control", "private, no-store");
  return "full";
}

/** The items API: reading is open to anyone, writing needs the editor or admin role. */
export function timelineRoutes(timeline: Timeline, guard: Guard): Router {
  const router = Router();

  router.get("/api/items", async (req, res) => {
    const query = parseInput(listItemsQuerySchema, req.query, "query");
    res.json(await timeline.list(query, await viewOf(req, res, guard)));
  });

  router.get("/api/items/:id", async (req, res) => {
    res.json(await timeline.get(req.params.id, await viewOf(req, res, guard)));
  });

  router.get("/api/items/:id/revisions", async (req, res) => {
    res.json({ revisions: await timeline.revisions(req.params.id, await viewOf(req, res, guard)) });
  });

  router.post("/api/items", async (req, res) => {
    const principal = await guard.requireRole(req, WRITERS);
    const input = parseInput(createItemSchema, req.body);
    const header = req.get("idempotency-key");
    const key = header === undefined ? undefined : idempotencyKeySchema.safeParse(header);
    if (key !== undefined && !key.success) {
      throw new HttpError(400, "invalid_input", "The Idempotency-Key header is not valid.", {
        "Idempotency-Key": "must be 1–200 visible ASCII characters",
      });
    }
    const { item, replayed } = await timeline.publish(input, author(principal), key?.data);
    if (replayed) res.set("Idempotent-Replayed", "true");
    res.status(201).location(`/api/items/${item.id}`).json(item);
  });

  router.patch("/api/items/:id", async (req, res) => {
    const principal = await guard.requireRole(req, WRITERS);
    const input = parseInput(patchItemSchema, req.body);
    res.json(await timeline.edit(req.params.id, input, author(principal)));
  });

  router.post("/api/items/:id/retract", async (req, res) => {
    const principal = await guard.requireRole(req, WRITERS);
    const input = parseInput(retractItemSchema, req.body);
    res.json(await timeline.retract(req.params.id, input, author(principal)));
  });

  return router;
}
