import { createHash } from "node:crypto";
import type { Metadata, OutputInfo, SharpOptions } from "sharp";
import { MEDIA_TYPES, type MediaType } from "../../shared/media";
import { Turns } from "./turns";

/*
 * An uploaded picture, decoded and made again by livedesk: nothing of the upload's bytes is kept
 * or served as sent. Re-encoding drops EXIF (GPS, camera serials), XMP, IPTC and ICC data (sharp
 * keeps none unless asked with `withMetadata`/`keepMetadata`), after the pixels are turned the way
 * the EXIF orientation says, since that orientation goes with the rest of the metadata.
 *
 * Kept and served as WebP: one format for photographs (lossy, smaller than JPEG at the same
 * look) and for graphics with transparency (PNG's alpha survives), which every browser
 * livedesk supports shows; AVIF would be smaller still but is several times slower to encode on a
 * busy node's CPU.
 */

/**
 * sharp, loaded on the first picture: libvips adds about 20 MB to a node's memory, which a node
 * that never handles a picture (most of a cluster's, most of the time) should not carry. libvips'
 * own operation cache is off: the served widths are kept by renditions.ts, within its bound.
 */
let loaded: Promise<typeof import("sharp")> | undefined;
async function sharpOf(input: Buffer, options: SharpOptions) {
  loaded ??= import("sharp").then((module) => {
    module.default.cache(false);
    return module;
  });
  return (await loaded).default(input, options);
}

/** Pictures decoded at once on this node: each may take over 100 MB for a moment (turns.ts). */
export const PICTURES_AT_ONCE = 2;
export const pictureTurns = new Turns(PICTURES_AT_ONCE);

/** Largest picture decoded, in pixels (40 MP): a small file declaring more is a decompression bomb. */
export const MAX_INPUT_PIXELS = 40_000_000;
/** Longest side accepted, in pixels: a 40 MP strip (1 × 40,000,000) is no picture either. */
export const MAX_INPUT_SIDE = 12_000;
/** Longest side kept: wider than the widest served (1280) with room for screens to come. */
export const MAX_KEPT_SIDE = 2560;
/** WebP quality of the kept picture and of each served width. */
const KEPT_QUALITY = 88;
const SERVED_QUALITY = 80;

/** The sharp format names of what each accepted `Content-Type` must really be (AVIF is read as HEIF). */
const FORMAT_OF: Record<MediaType, string> = {
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/webp": "webp",
  "image/avif": "heif",
};

/** What a picture is called in errors. */
const NAME_OF: Record<string, string> = {
  jpeg: "JPEG",
  png: "PNG",
  webp: "WebP",
  heif: "AVIF/HEIF",
  gif: "GIF",
  svg: "SVG",
  tiff: "TIFF",
};

/** An upload livedesk refuses, with the status and words that say why. */
export class PictureError extends Error {
  constructor(
    readonly status: 400 | 415,
    readonly code: "unsupported_media_type" | "not_an_image" | "type_mismatch" | "image_too_large",
    message: string,
  ) {
    super(message);
  }
}

/** A picture as livedesk keeps it. */
export interface Picture {
  /** A hash of the kept bytes: the same picture uploaded twice is kept once. */
  id: string;
  contentType: "image/webp";
  width: number;
  height: number;
  bytes: Buffer;
}

/** The accepted type a `Content-Type` header names (parameters and case aside), or null. */
export function mediaTypeOf(header: string | undefined): MediaType | null {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  return MEDIA_TYPES.find((accepted) => accepted === type) ?? null;
}

/** sharp's options for every decode: refuse bombs, and any damage (a truncated file) libvips notices. */
const DECODE = { limitInputPixels: MAX_INPUT_PIXELS, failOn: "warning", sequentialRead: true } as const;

/** Reads the header only (no pixels decoded): what the bytes are and how large they say they are. */
async function headerOf(bytes: Buffer): Promise<Metadata> {
  try {
    // The header alone, so the pixel limit does not apply yet: the size it declares is checked
    // below, to name it in the refusal.
    return await (await sharpOf(bytes, { limitInputPixels: false })).metadata();
  } catch {
    throw new PictureError(400, "not_an_image", "The request body is not a picture livedesk can read.");
  }
}

/**
 * Checks that `bytes` are a picture of the `declared` type within the limits, and makes it again
 * (turned upright, metadata dropped, at most MAX_KEPT_SIDE on its longest side) as WebP.
 */
export async function makePicture(bytes: Buffer, declared: MediaType): Promise<Picture> {
  const header = await headerOf(bytes);
  const format = header.format;
  if (format !== FORMAT_OF[declared]) {
    const actual = NAME_OF[format] ?? format;
    throw new PictureError(
      400,
      "type_mismatch",
      `The Content-Type says ${declared} but the body is ${actual === undefined ? "something else" : `a ${actual} picture`}.`,
    );
  }
  const width = header.width;
  const height = header.height;
  if (width * height > MAX_INPUT_PIXELS || Math.max(width, height) > MAX_INPUT_SIDE) {
    throw new PictureError(
      400,
      "image_too_large",
      `The picture is ${width}×${height} pixels; livedesk takes at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels and ${MAX_INPUT_SIDE} pixels a side.`,
    );
  }
  let made: { data: Buffer; info: OutputInfo };
  try {
    made = await pictureTurns.run(async () =>
      (await sharpOf(bytes, DECODE))
        .autoOrient()
        .resize({ width: MAX_KEPT_SIDE, height: MAX_KEPT_SIDE, fit: "inside", withoutEnlargement: true })
        .webp({ quality: KEPT_QUALITY })
        .toBuffer({ resolveWithObject: true }),
    );
  } catch {
    throw new PictureError(
      400,
      "not_an_image",
      `The picture could not be decoded: the ${NAME_OF[format] ?? format} data is damaged or cut short.`,
    );
  }
  return {
    id: createHash("sha256").update(made.data).digest("base64url").slice(0, 32),
    contentType: "image/webp",
    width: made.info.width,
    height: made.info.height,
    bytes: made.data,
  };
}

/** The kept picture at `width` pixels wide (never wider than it is), as WebP. */
export async function resizePicture(kept: Buffer, width: number): Promise<Buffer> {
  return pictureTurns.run(async () =>
    (await sharpOf(kept, DECODE))
      .resize({ width, withoutEnlargement: true })
      .webp({ quality: SERVED_QUALITY })
      .toBuffer(),
  );
}
