import fs from "node:fs";
import path from "node:path";
import { pino } from "pino";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type LivedeskApp } from "../../server/app";
import type { MediaStore, StoredMedia } from "../../server/media/store";
import { PgStorage } from "../../server/storage/postgres/pg-storage";
import { itemColumn } from "../../server/storage/rows";
import { SqliteStorage } from "../../server/storage/sqlite/sqlite-storage";
import { itemSchema } from "../../shared/item";
import { mediaUploadAnswerSchema } from "../../shared/requests";
import { call, errorOf, publish } from "../helpers/http";
import { sampleDraft } from "../helpers/items";
import { startNginx } from "../helpers/nginx";
import { type PostgresServer, startPostgres } from "../helpers/postgres";
import { tempDir } from "../helpers/server";
import { phonePhoto, picture, pngBomb, upload } from "./pictures";

/*
 * Pictures kept in the storage, on both backends: the media store itself, and two nodes on one
 * PostgreSQL where a picture uploaded to one is served by the other and can go on an item
 * published there.
 */

let postgres: PostgresServer;
let database: string;
const dir = tempDir();
const nodes: { app: LivedeskApp; url: string; token: string; storage: PgStorage }[] = [];
let sqlite: SqliteStorage;

beforeAll(async () => {
  postgres = await startPostgres();
  database = await postgres.createDatabase();
  sqlite = SqliteStorage.open(path.join(dir, "livedesk.db"));
  for (let i = 0; i < 2; i += 1) {
    const storage = await PgStorage.open(database);
    const app = await createApp(
      { clientDir: path.join(dir, "no-client") },
      { storage, media: storage.media(), logger: pino({ level: "silent" }) },
    );
    const { port } = await app.listen(0, "127.0.0.1");
    const token = (await app.auth.createToken(`node ${i} desk`, "editor")).token;
    if (i === 0) await storage.createTopic({ slug: "world", name: "World" });
    nodes.push({ app, url: `http://127.0.0.1:${port}`, token, storage });
  }
});
afterAll(async () => {
  await Promise.all(nodes.map((node) => node.app.close()));
  await sqlite?.close();
  await postgres?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function node(i: number) {
  const found = nodes[i];
  if (found === undefined) throw new Error(`node ${i} expected`);
  return found;
}

describe.each([
  ["SQLite", () => sqlite.media()],
  ["PostgreSQL", () => node(0).storage.media()],
])("the media store on %s", (_name, store: () => MediaStore) => {
  it("keeps the bytes exactly, answers the size alone, and keeps one id once", async () => {
    const bytes = await sharp(await picture("png", 30, 20))
      .webp()
      .toBuffer();
    const media: StoredMedia = {
      id: `test-${_name}`,
      contentType: "image/webp",
      width: 30,
      height: 20,
      bytes,
      uploadedBy: "Jane",
      createdAt: "2026-11-26T10:00:00.000Z",
    };
    const before = await store().countMedia();
    await store().saveMedia(media);
    await store().saveMedia({ ...media, uploadedBy: "Someone else" });
    expect(await store().countMedia()).toBe(before + 1);
    const read = await store().getMedia(media.id);
    expect(read).toEqual(media);
    expect(Buffer.compare(read?.bytes ?? Buffer.alloc(0), bytes)).toBe(0);
    expect(await store().mediaSize(media.id)).toEqual({ width: 30, height: 20 });
    expect(await store().getMedia("no-such-picture")).toBeNull();
    expect(await store().mediaSize("no-such-picture")).toBeNull();
  });
});

describe("pictures on two nodes sharing PostgreSQL", () => {
  it("serves on one node what was uploaded to the other, and publishes it there with its size", async () => {
    const answer = await upload(node(0).url, node(0).token, await phonePhoto(), "image/jpeg");
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const photo = mediaUploadAnswerSchema.parse(answer.body);

    const served = await fetch(`${node(1).url}/media/${photo.id}?w=320`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    const shown = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect({ width: shown.width, exif: shown.exif }).toEqual({ width: 300, exif: undefined });

    const item = await publish(node(1).url, node(1).token, { image: { id: photo.id, alt: "Upright" } });
    expect(item.image).toEqual({ id: photo.id, alt: "Upright", width: 300, height: 400 });
    const read = itemSchema.parse((await call(node(0).url, "GET", `/api/items/${item.id}`)).body);
    expect(read.image).toEqual(item.image);
  });

  it("refuses a bomb and an unknown picture with nothing kept or published", async () => {
    const before = await node(0).storage.media().countMedia();
    const bomb = await upload(node(1).url, node(1).token, pngBomb(), "image/png");
    expect(bomb.status).toBe(400);
    expect(await node(0).storage.media().countMedia()).toBe(before);

    const seq = await node(0).app.timeline.latestSeq();
    const refused = await call(node(0).url, "POST", "/api/items", {
      token: node(0).token,
      body: { headline: "No such picture", topics: ["world"], image: { id: "unknown", alt: "x" } },
    });
    expect(refused.status).toBe(400);
    expect(Object.keys(errorOf(refused).fields ?? {})).toEqual(["image.id"]);
    expect(await node(0).app.timeline.latestSeq()).toBe(seq);
  });
});

describe("pictures through nginx (docs/deploy/nginx.conf)", () => {
  it("takes a picture of several MB and serves it with livedesk's headers", async () => {
    // Noise does not compress: a 1700×1700 JPEG of it is several MB.
    const noise = Buffer.alloc(1700 * 1700 * 3);
    for (let i = 0; i < noise.length; i += 1) noise[i] = (i * 2654435761) >>> 24;
    const bytes = await sharp(noise, { raw: { width: 1700, height: 1700, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    expect(bytes.length).toBeGreaterThan(3 * 1024 * 1024);
    const nginx = await startNginx(nodes.map((n) => Number(new URL(n.url).port)));
    try {
      const answer = await upload(nginx.url, node(0).token, bytes, "image/jpeg");
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      const { id } = mediaUploadAnswerSchema.parse(answer.body);
      const served = await fetch(`${nginx.url}/media/${id}?w=640`);
      expect(served.status).toBe(200);
      expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(served.headers.get("content-type")).toBe("image/webp");
    } finally {
      await nginx.stop();
    }
  });
});

describe("items stored before pictures existed", () => {
  it("read with no picture, from SQLite's JSON text and PostgreSQL's JSONB alike", () => {
    const { image: _image, ...old } = sampleDraft("old");
    const stored = { ...old, seq: 3 };
    expect(itemColumn.parse(JSON.stringify(stored)).image).toBeNull();
    expect(itemColumn.parse(stored).image).toBeNull();
  });
});
