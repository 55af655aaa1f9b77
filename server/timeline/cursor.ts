import { z } from "zod";

/** A position in the timeline: the last item of a page. Opaque to clients. */
export interface TimelinePosition {
  publishedAt: string;
  id: string;
}

const positionSchema = z.tuple([z.iso.datetime(), z.string().min(1)]);

export function encodeCursor(position: TimelinePosition): string {
  return Buffer.from(JSON.stringify([position.publishedAt, position.id])).toString("base64url");
}

/** Null when the cursor was not made by `encodeCursor`. */
export function decodeCursor(cursor: string): TimelinePosition | null {
  try {
    const parsed = positionSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? { publishedAt: parsed.data[0], id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}
