import express, { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import { mediaIdSchema } from "../../shared/fields";
import { MEDIA_DEFAULT_WIDTH, MEDIA_MAX_BYTES, MEDIA_WIDTHS } from "../../shared/limits";
import { MEDIA_TYPES, type MediaWidth } from "../../shared/media";
import type { MediaUploadAnswer } from "../../shared/requests";
import { audit } from "../admin/audit";
import { authorName } from "../auth/auth";
import type { Guard } from "../auth/guard";
import { noneMatchNames } from "../feeds/conditional";
import { HttpError, parseInput } from "../http/errors";
import type { AuditStore } from "../storage/audit-store";
import type { MediaMetrics } from "./metrics";
import { makePicture, mediaTypeOf, PictureError } from "./picture";
import { type Renditions, renditionEtag } from "./renditions";
import type { MediaStore } from "./store";

const WRITERS = ["editor", "admin"] as const;
const WIDTHS_TEXT = MEDIA_WIDTHS.join(", ");
/** The address names the bytes for good: the id is their hash, the width fixed. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/** `?w=N`: one of the served widths; none means the default. */
const widthQuerySchema = z.object({
  w: z
    .string(`must be one of ${WIDTHS_TEXT}`)
    .optional()
    .transform((w, ctx): MediaWidth | typeof z.NEVER => {
      if (w === undefined) return MEDIA_DEFAULT_WIDTH;
      const width = MEDIA_WIDTHS.find((allowed) => String(allowed) === w);
      if (width !== undefined) return width;
      ctx.addIssue({ code: "custom", message: `must be one of ${WIDTHS_TEXT}` });
      return z.NEVER;
    }),
});

/** The body as bytes, up to MEDIA_MAX_BYTES, whatever its Content-Type (checked before). */
const readBytes = express.raw({ type: () => true, limit: MEDIA_MAX_BYTES });

function readPicture(metrics: MediaMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    readBytes(req, res, (error?: unknown) => {
      if (error === undefined || error === null) {
        next();
        return;
      }
      const tooLarge = z.object({ type: z.literal("entity.too.large") }).safeParse(error).success;
      if (tooLarge) metrics.upload("payload_too_large");
      next(
        tooLarge
          ? new HttpError(
              413,
              "payload_too_large",
              `The picture is larger than ${MEDIA_MAX_BYTES / (1024 * 1024)} MB.`,
            )
          : error,
      );
    });
  };
}

/**
 * `POST /api/media` (editors and admins) takes a picture and keeps livedesk's own re-encoding of
 * it; `GET /media/:id?w=N` (anyone) serves it at one of the fixed widths. Mounted before the API's
 * JSON-only body parsing, since the body here is the picture.
 */
export function mediaRoutes(
  store: MediaStore,
  renditions: Renditions,
  guard: Guard,
  storage: Pick<AuditStore, "appendAudit">,
  metrics: MediaMetrics,
): Router {
  const router = Router();

  router.post(
    "/api/media",
    async (req, _res, next) => {
      // Who may upload is checked before a byte is read.
      await guard.requireRole(req, WRITERS);
      if (mediaTypeOf(req.get("content-type")) === null) {
        const sent = req.get("content-type");
        metrics.upload("unsupported_media_type");
        throw new HttpError(
          415,
          "unsupported_media_type",
          `${sent === undefined ? "No Content-Type was sent" : `Content-Type ${sent} is not taken`}: send the picture as ${MEDIA_TYPES.join(", ")}.`,
          { "Content-Type": `must be one of ${MEDIA_TYPES.join(", ")}` },
        );
      }
      next();
    },
    readPicture(metrics),
    async (req, res) => {
      const principal = await guard.requireRole(req, WRITERS);
      const declared = mediaTypeOf(req.get("content-type"));
      const body: unknown = req.body;
      if (declared === null || !Buffer.isBuffer(body) || body.length === 0) {
        metrics.upload("empty_body");
        throw new HttpError(400, "empty_body", "The request body is empty: send the picture's bytes.");
      }
      let picture: Awaited<ReturnType<typeof makePicture>>;
      try {
        picture = await makePicture(body, declared);
      } catch (error) {
        if (error instanceof PictureError) {
          metrics.upload(error.code);
          throw new HttpError(error.status, error.code, error.message);
        }
        throw error;
      }
      await store.saveMedia({
        ...picture,
        uploadedBy: authorName(principal),
        createdAt: new Date().toISOString(),
      });
      await audit(storage, principal, "media.uploaded", picture.id, `${picture.width}×${picture.height}`);
      metrics.upload("stored");
      const answer: MediaUploadAnswer = { id: picture.id, width: picture.width, height: picture.height };
      res.status(201).location(`/media/${picture.id}`).json(answer);
    },
  );

  router.get("/media/:id", async (req, res) => {
    const id = mediaIdSchema.safeParse(req.params.id);
    const { w } = parseInput(widthQuerySchema, req.query, "query");
    // A browser revalidating its copy: the ETag needs no bytes, so none are read or resized.
    const etag = id.success ? renditionEtag(id.data, w) : null;
    if (
      id.success &&
      etag !== null &&
      noneMatchNames(req, etag) &&
      (await store.mediaSize(id.data)) !== null
    ) {
      res.set({ ETag: etag, "Cache-Control": IMMUTABLE }).status(304).end();
      return;
    }
    const rendition = id.success ? await renditions.get(id.data, w) : null;
    if (rendition === null) throw new HttpError(404, "not_found", "No picture has this id.");
    res.set({
      "Content-Type": rendition.contentType,
      "Cache-Control": IMMUTABLE,
      ETag: rendition.etag,
      "X-Content-Type-Options": "nosniff",
      // Pictures are public and named in the feeds: feed readers on other sites may show them.
      "Cross-Origin-Resource-Policy": "cross-origin",
    });
    res.send(rendition.bytes);
  });

  return router;
}
