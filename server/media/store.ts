/** A picture as kept: the re-encoded bytes livedesk made (server/media/picture.ts), never the upload's. */
export interface StoredMedia {
  id: string;
  contentType: string;
  width: number;
  height: number;
  bytes: Buffer;
  /** Who uploaded it (an operator's or token's name), for the record. */
  uploadedBy: string;
  createdAt: string;
}

/** A picture's size, for an item's `image`. */
export interface MediaSize {
  width: number;
  height: number;
}

/**
 * Where uploaded pictures are kept, beside the timeline in the same database (SQLite:
 * server/storage/sqlite/media.ts, PostgreSQL: server/storage/postgres/media.ts), so that every
 * node serves every picture.
 */
export interface MediaStore {
  /** Keeps the picture; one with the same id (the same bytes) is kept once. */
  saveMedia(media: StoredMedia): Promise<void>;
  getMedia(id: string): Promise<StoredMedia | null>;
  /** The size of the picture with this id, without its bytes; null when there is none. */
  mediaSize(id: string): Promise<MediaSize | null>;
  countMedia(): Promise<number>;
}
