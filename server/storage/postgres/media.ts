import type { MediaSize, MediaStore, StoredMedia } from "../../media/store";
import { countRow, mediaRow, mediaSizeRow } from "../rows";
import type { PgQuery } from "./push";

/** Uploaded pictures in PostgreSQL (see server/media/store.ts). */
export class PgMediaStore implements MediaStore {
  constructor(private readonly query: PgQuery) {}

  async saveMedia(m: StoredMedia): Promise<void> {
    await this.query(
      `INSERT INTO media (id, content_type, width, height, bytes, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [m.id, m.contentType, m.width, m.height, m.bytes, m.uploadedBy, m.createdAt],
    );
  }

  async getMedia(id: string): Promise<StoredMedia | null> {
    const row = (await this.query("SELECT * FROM media WHERE id = $1", [id])).rows[0];
    return row === undefined ? null : mediaRow.parse(row);
  }

  async mediaSize(id: string): Promise<MediaSize | null> {
    const row = (await this.query("SELECT width, height FROM media WHERE id = $1", [id])).rows[0];
    return row === undefined ? null : mediaSizeRow.parse(row);
  }

  async countMedia(): Promise<number> {
    return countRow.parse((await this.query("SELECT count(*)::int AS count FROM media")).rows[0]).count;
  }
}
