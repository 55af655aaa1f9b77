import { Router } from "express";
import { monotonicFactory } from "ulid";
import {
  createSourceSchema,
  type IncomingEntry,
  patchSourceSchema,
  publishIncomingSchema,
  WIRE_INTERVAL_DEFAULT_SECONDS,
  type WireSource,
} from "../../shared/wires";
import { audit } from "../admin/audit";
import type { Guard } from "../auth/guard";
import { HttpError, parseInput } from "../http/errors";
import type { Storage } from "../storage/storage";
import type { Timeline } from "../timeline/timeline";
import { publishEntry } from "./ingest";
import { SourceBusyError, type WirePoller } from "./poller";
import type { HeldEntry, SourceChange, SourceRecord, WireStore } from "./store";

const WRITERS = ["editor", "admin"] as const;
/** Incoming shows at most this many held entries, newest first. */
const INCOMING_LIST_MAX = 200;

const newId = monotonicFactory();

/** A source as the API shows it: without what only the poller needs. */
function shown(source: SourceRecord): WireSource {
  const { createdAt: _c, etag: _e, lastModified: _l, adaptiveSeconds: _a, ...rest } = source;
  return rest;
}

function incoming(entry: HeldEntry): IncomingEntry {
  return {
    id: entry.id,
    sourceId: entry.sourceId,
    sourceName: entry.sourceName,
    guid: entry.guid,
    headline: entry.headline,
    summary: entry.summary,
    url: entry.url,
    publishedAt: entry.publishedAt ?? entry.receivedAt,
    receivedAt: entry.receivedAt,
  };
}

async function checkTopics(storage: Storage, topics: readonly string[] | undefined): Promise<void> {
  if (topics === undefined) return;
  const known = new Set((await storage.listTopics()).map((t) => t.slug));
  const fields: Record<string, string> = {};
  topics.forEach((slug, i) => {
    if (!known.has(slug)) fields[`topics.${i}`] = `unknown topic "${slug}"`;
  });
  if (Object.keys(fields).length > 0) throw new HttpError(400, "invalid_input", "Unknown topic.", fields);
}

export interface WireRouteDeps {
  store: WireStore;
  poller: WirePoller;
  storage: Storage;
  timeline: Timeline;
  guard: Guard;
  /** Operators' panels read Incoming again. */
  incomingChanged: () => void;
  now?: () => Date;
}

/** `/api/sources` (followed wires) and `/api/incoming` (their entries held for an operator). */
export function wireRoutes(deps: WireRouteDeps): Router {
  const { store, poller, storage, timeline, guard } = deps;
  const now = deps.now ?? (() => new Date());
  const router = Router();

  const sourceOr404 = async (id: string): Promise<SourceRecord> => {
    const source = await store.getSource(id);
    if (source === null) throw new HttpError(404, "not_found", "No wire has this id.");
    return source;
  };

  router.get("/api/sources", async (req, res) => {
    await guard.requireRole(req, WRITERS);
    res.json((await store.listSources()).map(shown));
  });

  router.get("/api/sources/:id", async (req, res) => {
    await guard.requireRole(req, WRITERS);
    res.json(shown(await sourceOr404(req.params.id)));
  });

  router.post("/api/sources", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    const input = parseInput(createSourceSchema, req.body);
    await checkTopics(storage, input.topics);
    const source: SourceRecord = {
      id: newId(),
      ...input,
      createdAt: now().toISOString(),
      lastFetchedAt: null,
      lastSuccessAt: null,
      lastStatus: null,
      lastError: null,
      // Due at once: the admin sees the wire fill in, or its error, within moments.
      nextFetchAt: now().toISOString(),
      consecutiveErrors: 0,
      disabledReason: null,
      entriesCreated: 0,
      etag: null,
      lastModified: null,
      adaptiveSeconds: WIRE_INTERVAL_DEFAULT_SECONDS,
    };
    await store.createSource(source);
    await audit(storage, principal, "source.created", source.id, `${source.name} <${source.url}>`);
    res.status(201).json(shown(source));
  });

  router.patch("/api/sources/:id", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    const before = await sourceOr404(req.params.id);
    const input = parseInput(patchSourceSchema, req.body);
    await checkTopics(storage, input.topics);
    const change: SourceChange = {};
    if (input.url !== undefined) change.url = input.url;
    if (input.name !== undefined) change.name = input.name;
    if (input.topics !== undefined) change.topics = input.topics;
    if (input.mode !== undefined) change.mode = input.mode;
    if (input.intervalSeconds !== undefined) change.intervalSeconds = input.intervalSeconds;
    if (input.enabled !== undefined) change.enabled = input.enabled;
    // Enabled again, or pointed elsewhere: a fresh start, fetched at once.
    if (
      (input.enabled === true && !before.enabled) ||
      (input.url !== undefined && input.url !== before.url)
    ) {
      Object.assign(change, { disabledReason: null, consecutiveErrors: 0, nextFetchAt: now().toISOString() });
    }
    if (input.url !== undefined && input.url !== before.url)
      Object.assign(change, { etag: null, lastModified: null });
    if (!(await store.updateSource(before.id, change)))
      throw new HttpError(404, "not_found", "No wire has this id.");
    await audit(storage, principal, "source.updated", before.id, Object.keys(input).join(", "));
    res.json(shown(await sourceOr404(before.id)));
  });

  router.delete("/api/sources/:id", async (req, res) => {
    const principal = await guard.requireRole(req, ["admin"]);
    const source = await sourceOr404(req.params.id);
    await store.deleteSource(source.id);
    await audit(storage, principal, "source.deleted", source.id, source.name);
    deps.incomingChanged();
    res.status(204).end();
  });

  router.post("/api/sources/:id/poll", async (req, res) => {
    await guard.requireRole(req, ["admin"]);
    try {
      const result = await poller.pollNow(req.params.id);
      if (result === null) throw new HttpError(404, "not_found", "No wire has this id.");
      res.json(result);
    } catch (error) {
      if (error instanceof SourceBusyError) throw new HttpError(409, "source_busy", error.message);
      throw error;
    }
  });

  router.get("/api/incoming", async (req, res) => {
    await guard.requireRole(req, WRITERS);
    res.json((await store.listHeld(INCOMING_LIST_MAX)).map(incoming));
  });

  const heldOr404 = async (id: string) => {
    const entry = await store.getEntry(id);
    if (entry === null) throw new HttpError(404, "not_found", "No incoming entry has this id.");
    if (entry.state !== "held") {
      throw new HttpError(409, "already_handled", `This entry was already ${entry.state} by an operator.`);
    }
    return entry;
  };

  router.post("/api/incoming/:id/publish", async (req, res) => {
    const principal = await guard.requireRole(req, WRITERS);
    const edits = parseInput(publishIncomingSchema, req.body ?? {});
    const entry = await heldOr404(req.params.id);
    const source = await store.getSource(entry.sourceId);
    if (source === null) throw new HttpError(404, "not_found", "The wire of this entry was removed.");
    await checkTopics(storage, edits.topics);
    const item = await publishEntry(
      timeline,
      source,
      entry.guid,
      {
        headline: edits.headline ?? entry.headline,
        summary: edits.summary ?? entry.summary,
        url: edits.url === undefined ? entry.url : edits.url,
        topics: edits.topics ?? source.topics,
        publishedAt: edits.publishedAt ?? entry.publishedAt,
        ...(edits.breaking === undefined ? {} : { breaking: edits.breaking }),
        ...(edits.pinned === undefined ? {} : { pinned: edits.pinned }),
        ...(edits.image === undefined ? {} : { image: edits.image }),
      },
      now(),
    );
    await store.updateEntry({ ...entry, state: "published", itemId: item.id }, "held");
    await audit(storage, principal, "incoming.published", item.id, entry.headline);
    deps.incomingChanged();
    res.status(201).json(item);
  });

  router.delete("/api/incoming/:id", async (req, res) => {
    const principal = await guard.requireRole(req, WRITERS);
    const entry = await heldOr404(req.params.id);
    if (!(await store.updateEntry({ ...entry, state: "discarded" }, "held"))) {
      throw new HttpError(409, "already_handled", "Another operator handled this entry meanwhile.");
    }
    await audit(storage, principal, "incoming.discarded", entry.id, entry.headline);
    deps.incomingChanged();
    res.status(204).end();
  });

  return router;
}
