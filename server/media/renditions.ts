import type { MediaWidth } from "../../shared/media";
import { resizePicture } from "./picture";
import type { MediaStore } from "./store";

/** Bytes of served widths a node keeps in memory (32 MB): the newest pictures' widths fit many times over. */
export const RENDITIONS_MAX_BYTES = 32 * 1024 * 1024;

/** A strong validator of a served width: the picture's id (its bytes' hash) and the width fix its bytes. */
export function renditionEtag(id: string, width: MediaWidth): string {
  return `"${id}-${width}"`;
}

/** A picture at one served width. */
export interface Rendition {
  bytes: Buffer;
  contentType: string;
  /** See renditionEtag. */
  etag: string;
}

/**
 * The served widths of pictures, made on their first request and kept in memory, the least
 * recently served dropped first once past `maxBytes`. Nothing needs to be shared between nodes:
 * each makes the same bytes from the same kept picture, and browsers and caches keep them for a
 * year (the URL never changes meaning). Requests for a width being made wait for that one making.
 */
export class Renditions {
  private readonly kept = new Map<string, Rendition>();
  private readonly making = new Map<string, Promise<Rendition | null>>();
  private bytes = 0;

  constructor(
    private readonly store: Pick<MediaStore, "getMedia">,
    private readonly maxBytes = RENDITIONS_MAX_BYTES,
    /** Told of each width served: made from the kept picture, or kept in memory. */
    private readonly served: (answer: "made" | "kept") => void = () => {},
  ) {}

  /** The picture `id` at `width`, or null when no picture has this id. */
  async get(id: string, width: MediaWidth): Promise<Rendition | null> {
    const key = `${id}/${width}`;
    const hit = this.kept.get(key);
    if (hit !== undefined) {
      // Map order is insertion order: moving the hit to the end keeps the least recent first.
      this.kept.delete(key);
      this.kept.set(key, hit);
      this.served("kept");
      return hit;
    }
    let made = this.making.get(key);
    if (made === undefined) {
      made = this.make(id, width).finally(() => this.making.delete(key));
      this.making.set(key, made);
    }
    return made;
  }

  private async make(id: string, width: MediaWidth): Promise<Rendition | null> {
    const media = await this.store.getMedia(id);
    if (media === null) return null;
    const rendition = {
      bytes: await resizePicture(media.bytes, width),
      contentType: "image/webp",
      etag: renditionEtag(id, width),
    };
    this.served("made");
    this.keep(`${id}/${width}`, rendition);
    return rendition;
  }

  private keep(key: string, rendition: Rendition): void {
    if (rendition.bytes.length > this.maxBytes) return;
    this.kept.set(key, rendition);
    this.bytes += rendition.bytes.length;
    for (const [oldKey, old] of this.kept) {
      if (this.bytes <= this.maxBytes) break;
      this.kept.delete(oldKey);
      this.bytes -= old.bytes.length;
    }
  }
}
