import type Database from "better-sqlite3";
import { z } from "zod";
import type { MediaSize, MediaStore, StoredMedia } from "../../media/store";
import { sqliteWork } from "./work";

const sizeRow = z.object({ width: z.number(), height: z.number() });
const countRow = z.object({ count: z.number() });
const mediaRow = z
  .object({
    id: z.string(),
    content_type: z.string(),
    width: z.number(),
    height: z.number(),
    bytes: z.instanceof(Buffer),
    uploaded_by: z.string(),
    created_at: z.string(),
  })
  .transform(
    (r): StoredMedia => ({
      id: r.id,
      contentType: r.content_type,
      width: r.width,
      height: r.height,
      bytes: r.bytes,
      uploadedBy: r.uploaded_by,
      createdAt: r.created_at,
    }),
  );

/** Uploaded pictures in the SQLite database (see server/media/store.ts). */
export class SqliteMediaStore implements MediaStore {
  constructor(private readonly db: Database.Database) {}

  saveMedia(m: StoredMedia): Promise<void> {
    return sqliteWork(() => {
      this.db
        .prepare(
          `INSERT INTO media (id, content_type, width, height, bytes, uploaded_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        )
        .run(m.id, m.contentType, m.width, m.height, m.bytes, m.uploadedBy, m.createdAt);
    });
  }

  getMedia(id: string): Promise<StoredMedia | null> {
    return sqliteWork(() => {
      const row = this.db.prepare("SELECT * FROM media WHERE id = ?").get(id);
      return row === undefined ? null : mediaRow.parse(row);
    });
  }

  mediaSize(id: string): Promise<MediaSize | null> {
    return sqliteWork(() => {
      const row = this.db.prepare("SELECT width, height FROM media WHERE id = ?").get(id);
      return row === undefined ? null : sizeRow.parse(row);
    });
  }

  countMedia(): Promise<number> {
    return sqliteWork(
      () => countRow.parse(this.db.prepare("SELECT count(*) AS count FROM media").get()).count,
    );
  }
}
