import { Counter, type Registry } from "prom-client";

/** What became of an upload: kept, or refused with its error code. */
export type UploadResult =
  | "stored"
  | "unsupported_media_type"
  | "payload_too_large"
  | "empty_body"
  | "not_an_image"
  | "type_mismatch"
  | "image_too_large";

/**
 * Pictures in `/metrics`: uploads by what became of them (a rise in refusals is a tool sending the
 * wrong thing, or someone probing), and served widths made from the kept picture against those
 * served from memory (many made means the memory bound is too small for the pictures being read).
 */
export class MediaMetrics {
  private readonly uploads: Counter<"result">;
  private readonly widths: Counter<"answer">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.uploads = new Counter({
      name: "livedesk_media_uploads_total",
      help: "Picture uploads (POST /api/media) by result: stored, or the error code they were refused with.",
      labelNames: ["result"],
      registers,
    });
    this.widths = new Counter({
      name: "livedesk_media_widths_total",
      help: "Served picture widths: made from the kept picture, or kept in this node's memory.",
      labelNames: ["answer"],
      registers,
    });
  }

  upload(result: UploadResult): void {
    this.uploads.inc({ result });
  }

  width(answer: "made" | "kept"): void {
    this.widths.inc({ answer });
  }
}
