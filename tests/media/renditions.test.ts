import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePicture } from "../../server/media/picture";
import { Renditions } from "../../server/media/renditions";
import type { MediaStore } from "../../server/media/store";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { tempDir } from "../helpers/server";
import { picture } from "./pictures";

/*
 * The served widths a node keeps in memory: made once however many ask at the same moment, kept
 * within their byte bound (the least recently served dropped first), and made again when dropped.
 */

const dir = tempDir();
let storage: SqliteStorage;
let id: string;
/** Each time the renditions read a kept picture from the storage. */
let reads = 0;
let store: Pick<MediaStore, "getMedia">;

beforeAll(async () => {
  storage = SqliteStorage.open(path.join(dir, "livedesk.db"));
  const made = await makePicture(await picture("jpeg", 1600, 1000), "image/jpeg");
  id = made.id;
  await storage.media().saveMedia({ ...made, uploadedBy: "test", createdAt: new Date().toISOString() });
  store = {
    getMedia: (wanted) => {
      reads += 1;
      return storage.media().getMedia(wanted);
    },
  };
});
afterAll(async () => {
  await storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("Renditions", () => {
  it("makes a width once for many readers asking at the same moment, then serves it from memory", async () => {
    const renditions = new Renditions(store);
    reads = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, () => renditions.get(id, 640)));
    expect(reads).toBe(1);
    expect(new Set(answers.map((answer) => answer?.bytes))).toHaveProperty("size", 1);
    await renditions.get(id, 640);
    expect(reads).toBe(1);
  });

  it("keeps within its byte bound, dropping the least recently served first", async () => {
    // Three pictures alike but for their colours. Two of their 320s (whichever two) fit the bound, three do not.
    const ids: string[] = [];
    for (const background of ["#112233", "#445566", "#778899"]) {
      const bytes = await sharp({ create: { width: 1000, height: 600, channels: 3, background } })
        .jpeg()
        .toBuffer();
      const made = await makePicture(bytes, "image/jpeg");
      await storage.media().saveMedia({ ...made, uploadedBy: "test", createdAt: new Date().toISOString() });
      ids.push(made.id);
    }
    const [a = "", b = "", c = ""] = ids;
    const probe = new Renditions(store);
    const sizes = await Promise.all(ids.map(async (one) => (await probe.get(one, 320))?.bytes.length ?? 0));
    const bound = Math.max(...sizes) * 2 + 1;
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(bound);

    const renditions = new Renditions(store, bound);
    await renditions.get(a, 320);
    await renditions.get(b, 320);
    await renditions.get(a, 320); // a is now served more recently than b
    await renditions.get(c, 320); // no room for three: b goes
    reads = 0;
    await renditions.get(a, 320);
    await renditions.get(c, 320);
    expect(reads).toBe(0);
    await renditions.get(b, 320);
    expect(reads).toBe(1);
  });

  it("answers null for an unknown picture and keeps nothing for it", async () => {
    const renditions = new Renditions(store);
    expect(await renditions.get("unknown", 320)).toBeNull();
  });
});
