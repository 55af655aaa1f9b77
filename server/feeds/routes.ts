import { createHash } from "node:crypto";
import { type Request, type Response, Router } from "express";
import { Counter, type Registry } from "prom-client";
import type { Item } from "../../shared/item";
import { parseInput } from "../http/errors";
import type { Storage } from "../storage/storage";
import type { Timeline } from "../timeline/timeline";
import { renderAtom } from "./atom";
import { notModified } from "./conditional";
import { type FeedDocument, feedId } from "./document";
import { describeFilter, type FeedFilter, feedFilter, feedQuerySchema, filterQuery } from "./filter";
import { renderJsonFeed } from "./json-feed";
import { readFeed } from "./latest";

/** Bumped whenever the documents' shape changes, so that no cache keeps an old rendering under a current ETag. */
const RENDERING = "1";

/** A CDN (and a reader) may keep a feed this long without asking; then it asks with the ETag. */
const CACHE_CONTROL = "public, max-age=5";

/** How many rendered feeds are kept, to answer a full GET of an unchanged feed without reading again. */
const RENDERED_KEPT = 64;

const FORMATS = [
  { path: "/feed.atom", name: "atom", type: "application/atom+xml; charset=utf-8", render: renderAtom },
  { path: "/feed.json", name: "json", type: "application/feed+json; charset=utf-8", render: renderJsonFeed },
] as const;

export interface FeedRoutesOptions {
  storage: Pick<Storage, "latestSeq" | "listItems" | "changesSince">;
  timeline: Pick<Timeline, "latestSeq" | "epoch">;
  registry: Registry;
  /** A WebSub hub the feeds advertise. */
  hubUrl?: string | undefined;
  /** Told the site's origin each time a feed goes out under it (WebSub pings go there). */
  onServe?: (origin: string) => void;
}

/** `GET /feed.atom` and `GET /feed.json`: the newest changes' items, with conditional GET. */
export function feedRoutes(options: FeedRoutesOptions): Router {
  const { storage, timeline, hubUrl } = options;
  const router = Router();
  const answers = new Counter({
    name: "livedesk_feed_requests_total",
    help: "Feed requests by format and answer: 304 (not modified, nothing read), cached, rendered.",
    labelNames: ["format", "answer"],
    registers: [options.registry],
  });

  // The time of the change at a seq never changes: the latest one is kept, one read per new seq.
  let known: { seq: number; at: Date } = { seq: 0, at: new Date(0) };
  const changedAt = async (seq: number): Promise<Date> => {
    if (seq === known.seq) return known.at;
    const [change] = await storage.changesSince(seq - 1, 1);
    const at = change?.seq === seq ? new Date(change.item.updatedAt) : new Date(0);
    if (seq > known.seq) known = { seq, at };
    return at;
  };

  const rendered = new Map<string, string>();
  const keep = (etag: string, body: string) => {
    rendered.set(etag, body);
    const oldest = rendered.keys().next();
    if (rendered.size > RENDERED_KEPT && oldest.done !== true) rendered.delete(oldest.value);
  };

  const tagFor = (path: string, origin: string, epoch: string, filter: FeedFilter, seq: number) => {
    const key = createHash("sha256")
      .update(
        JSON.stringify([RENDERING, path, origin, hubUrl ?? null, epoch, filter.topics, filter.q ?? null]),
      )
      .digest("base64url")
      .slice(0, 16);
    return `"${seq}-${key}"`;
  };

  const document = (
    req: Request,
    path: string,
    filter: FeedFilter,
    items: Item[],
    updated: Date,
  ): FeedDocument => {
    const origin = `${req.protocol}://${req.get("host")}`;
    const query = filterQuery(filter);
    const about = describeFilter(filter);
    return {
      id: feedId(filter),
      title: about === undefined ? "livedesk — live news" : `livedesk — live news: ${about}`,
      selfUrl: `${origin}${path}${query}`,
      homeUrl: `${origin}/${query}`,
      permalink: (item) => `${origin}/items/${encodeURIComponent(item.id)}`,
      topicsUrl: `${origin}/api/topics`,
      hubUrl,
      updated: updated.toISOString(),
      items,
    };
  };

  const answer = (res: Response, etag: string | null, lastModified: Date, type: string) => {
    res.set("Cache-Control", CACHE_CONTROL);
    // Feeds are public: a reader on another site may fetch them from its page.
    res.set("Access-Control-Allow-Origin", "*");
    res.set("Last-Modified", lastModified.toUTCString());
    if (etag === null) res.set("Cache-Control", "no-cache");
    else res.set("ETag", etag);
    res.type(type);
  };

  for (const format of FORMATS) {
    const { path } = format;
    router.get(path, async (req, res) => {
      const filter = feedFilter(parseInput(feedQuerySchema, req.query, "query"));
      const origin = `${req.protocol}://${req.get("host")}`;
      options.onServe?.(origin);
      const [seq, epoch] = await Promise.all([timeline.latestSeq(), timeline.epoch()]);
      const etag = tagFor(path, origin, epoch, filter, seq);
      const lastModified = await changedAt(seq);
      if (notModified(req, etag, lastModified)) {
        answers.inc({ format: format.name, answer: "not_modified" });
        answer(res, etag, lastModified, format.type);
        res.status(304).end();
        return;
      }
      const kept = rendered.get(etag);
      if (kept !== undefined) {
        answers.inc({ format: format.name, answer: "cached" });
        answer(res, etag, lastModified, format.type);
        res.send(kept);
        return;
      }
      const read = await readFeed(storage, filter);
      const at = read.seq === null ? lastModified : await changedAt(read.seq);
      const tag = read.seq === null ? null : tagFor(path, origin, epoch, filter, read.seq);
      const body = await format.render(document(req, path, filter, read.items, at));
      if (tag !== null) keep(tag, body);
      answers.inc({ format: format.name, answer: "rendered" });
      answer(res, tag, at, format.type);
      res.send(body);
    });
  }
  return router;
}
