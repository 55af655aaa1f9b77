import fs from "node:fs";
import path from "node:path";
import { type Request, type Response, Router } from "express";
import { FILTER_TOPICS_MAX } from "../../shared/limits";
import { listItemsQuerySchema } from "../../shared/requests";
import { feedFilter, filterQuery } from "../feeds/filter";
import { type Timeline, TimelineError } from "../timeline/timeline";
import { checkTemplate, dashboardPage, itemPage, notFoundPage, type PageContent, renderPage } from "./html";

/** The panel's screens (client/src/admin/AdminApp.tsx), after `/admin`; "" is the desk. */
const PANEL_SCREENS: readonly string[] = [
  "",
  "/import",
  "/incoming",
  "/sources",
  "/embed",
  "/topics",
  "/operators",
  "/tokens",
  "/audit",
];

/** How many headlines the first paint of `/` carries: a phone's screen and more. */
const FIRST_PAINT_ITEMS = 30;

/**
 * The pages: `/` and `/items/:id` painted with their news before the app starts, the panel's
 * shell, and a real 404 page for every other address.
 */
export function pageRoutes(timeline: Timeline, clientDir: string, publicUrl?: string): Router {
  const router = Router();
  const indexHtml = path.join(clientDir, "index.html");
  let template: string | undefined;

  /** Read once; undefined while the dashboard is not built (tests of the API alone). */
  const loadTemplate = (): string | undefined => {
    if (template === undefined && fs.existsSync(indexHtml)) {
      const text = fs.readFileSync(indexHtml, "utf8");
      checkTemplate(text);
      template = text;
    }
    return template;
  };

  const send = (res: Response, status: number, page: PageContent) => {
    const shell = loadTemplate();
    if (shell === undefined) {
      res.status(503).type("text/plain").send("The dashboard is not built yet: run `npm run build`.");
      return;
    }
    res.status(status).set("Cache-Control", "no-cache").type("html").send(renderPage(shell, page));
  };

  // The site's address: LIVEDESK_PUBLIC_URL, else as the reader reached it (behind a proxy on this
  // host, `trust proxy`, the scheme and host it forwarded). Every link a page's meta names starts with it.
  const origin = (req: Request) => publicUrl ?? `${req.protocol}://${req.get("host")}`;

  router.get("/", async (req, res) => {
    // The same filter the dashboard reads from the URL, its topics cut to the first
    // FILTER_TOPICS_MAX as the dashboard cuts them; a filter the API would refuse paints the latest.
    const topics = req.query.topic;
    const query = listItemsQuerySchema.safeParse({
      topic: Array.isArray(topics) ? [...new Set(topics)].slice(0, FILTER_TOPICS_MAX) : topics,
      q: req.query.q,
      limit: FIRST_PAINT_ITEMS,
    });
    const page = await timeline.list(
      query.success ? query.data : listItemsQuerySchema.parse({ limit: FIRST_PAINT_ITEMS }),
    );
    // A filtered view names the feed of the same filter.
    const feedQuery = query.success ? filterQuery(feedFilter(query.data)) : "";
    send(res, 200, dashboardPage(page.items, origin(req), feedQuery));
  });

  router.get("/items/:id", async (req, res) => {
    try {
      const item = await timeline.get(req.params.id);
      send(res, 200, itemPage(item, origin(req)));
    } catch (error) {
      if (error instanceof TimelineError && error.code === "not_found")
        send(res, 404, notFoundPage("No item has this address."));
      else throw error;
    }
  });

  // Any /admin address gets the panel's shell, so the panel shows its own "Page not found" for an
  // unknown screen; the status says so too, for a browser, a link checker or a crawler.
  router.get(["/admin", "/admin/*rest"], (req, res) => {
    const screen = req.path.slice("/admin".length).replace(/\/$/, "");
    send(res, PANEL_SCREENS.includes(screen) ? 200 : 404, {
      title: "Operator panel — livedesk",
      description: "The livedesk operator panel.",
      body: "",
    });
  });

  router.use((_req, res) => {
    send(res, 404, notFoundPage());
  });
  return router;
}
