import type Database from "better-sqlite3";
import type { MediaSize, MediaStore, StoredMedia } from "../../media/store";
import { countRow, mediaRow, mediaSizeRow } from "../rows";
import { sqliteWork, statement } from "./work";

/** Uploaded pictures in the SQLite database (see server/media/store.ts). */
export class SqliteMediaStore implements MediaStore {
  constructor(private readonly db: Database.Database) {}

  saveMedia(m: StoredMedia): Promise<void> {
    return sqliteWork(() => {
      statement(
        this.db,
        `INSERT INTO media (id, content_type, width, height, bytes, uploaded_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      ).run(m.id, m.contentType, m.width, m.height, m.bytes, m.uploadedBy, m.createdAt);
    });
  }

  getMedia(id: string): Promise<StoredMedia | null> {
    return sqliteWork(() => {
      const row = statement(this.db, "SELECT * FROM media WHERE id = ?").get(id);
      return row === undefined ? null : mediaRow.parse(row);
    });
  }

  mediaSize(id: string): Promise<MediaSize | null> {
    return sqliteWork(() => {
      const row = statement(this.db, "SELECT width, height FROM media WHERE id = ?").get(id);
      return row === undefined ? null : mediaSizeRow.parse(row);
    });
  }

  countMedia(): Promise<number> {
    return sqliteWork(
      () => countRow.parse(statement(this.db, "SELECT count(*) AS count FROM media").get()).count,
    );
  }
}
