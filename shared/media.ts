/*
 * Pictures: what `POST /api/media` takes and where `GET /media/:id` serves them. Without zod, so
 * the reader's page can import the address and the widths for nothing.
 */
import { MEDIA_WIDTHS } from "./limits";

/** The `Content-Type`s `POST /api/media` takes; anything else (GIF, SVG, …) is 415. */
export const MEDIA_TYPES = ["image/jpeg", "image/png", "image/webp", "image/avif"] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** One of the widths `GET /media/:id?w=N` serves. */
export type MediaWidth = (typeof MEDIA_WIDTHS)[number];

/** Where a picture is served at `width` pixels wide (narrower pictures are never enlarged). */
export function mediaPath(id: string, width: MediaWidth): string {
  return `/media/${encodeURIComponent(id)}?w=${width}`;
}

/** A `srcset` over every served width, e.g. for `<img srcset>`. */
export function mediaSrcset(id: string): string {
  return MEDIA_WIDTHS.map((width) => `${mediaPath(id, width)} ${width}w`).join(", ");
}
