import fs from "node:fs";
import path from "node:path";
import { type Response, Router } from "express";
import { EMBED_KINDS, type EmbedKind, parseEmbedOptions } from "../../shared/embeds";
import { escapeHtml } from "../pages/html";

/*
 * What partner sites load: the embed pages `/embed/ticker` and `/embed/feed` (built by vite from
 * client/embed.html) and the loader `/embed.js` (client/public/embed.js) that puts them in an
 * iframe. Both are fetched from another site's page, so they are the only answers marked
 * `Cross-Origin-Resource-Policy: cross-origin`; which sites may frame the pages is the CSP's
 * `frame-ancestors` (server/http/security.ts).
 */

const TITLES: Record<EmbedKind, string> = {
  ticker: "Breaking news — livedesk",
  feed: "News feed — livedesk",
};

/** How long browsers and partners' caches keep `/embed.js`: short, so a fix reaches every partner soon. */
const LOADER_MAX_AGE_S = 300;

function isEmbedKind(kind: string): kind is EmbedKind {
  return EMBED_KINDS.some((known) => known === kind);
}

export function embedRoutes(clientDir: string): Router {
  const router = Router();
  const templateFile = path.join(clientDir, "embed.html");
  const loaderFile = path.join(clientDir, "embed.js");
  let template: string | undefined;

  /** Read once; undefined while the client is not built (tests of the API alone). */
  const loadTemplate = (): string | undefined => {
    if (template === undefined && fs.existsSync(templateFile))
      template = fs.readFileSync(templateFile, "utf8");
    return template;
  };

  const notBuilt = (res: Response) =>
    res.status(503).type("text/plain").send("The embeds are not built yet: run `npm run build`.");

  router.get("/embed.js", (_req, res) => {
    if (!fs.existsSync(loaderFile)) {
      notBuilt(res);
      return;
    }
    res
      .set("Cross-Origin-Resource-Policy", "cross-origin")
      .set("Cache-Control", `public, max-age=${LOADER_MAX_AGE_S}`)
      .type("text/javascript")
      .sendFile(loaderFile);
  });

  router.get("/embed/:kind", (req, res, next) => {
    const { kind } = req.params;
    if (!isEmbedKind(kind)) {
      next();
      return;
    }
    const shell = loadTemplate();
    if (shell === undefined) {
      notBuilt(res);
      return;
    }
    res.set("Cross-Origin-Resource-Policy", "cross-origin").set("Cache-Control", "no-cache");
    const query = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "";
    const parsed = parseEmbedOptions(kind, query);
    if ("problems" in parsed) {
      // Said in the frame itself, where the partner who wrote the snippet looks for it.
      const list = parsed.problems
        .map((problem) => `<li><code>${escapeHtml(problem.field)}</code> ${escapeHtml(problem.message)}</li>`)
        .join("");
      res
        .status(400)
        .type("html")
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Bad embed options — livedesk</title></head><body><main><h1>This embed's options are wrong</h1><ul>${list}</ul></main></body></html>`,
        );
      return;
    }
    const { theme } = parsed.options;
    res
      .type("html")
      .send(
        shell
          .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(TITLES[kind])}</title>`)
          .replace(
            /<html lang="en"[^>]*>/,
            () => `<html lang="en" data-kind="${kind}"${theme === "auto" ? "" : ` data-theme="${theme}"`}>`,
          ),
      );
  });

  return router;
}
