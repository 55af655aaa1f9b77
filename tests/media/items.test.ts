import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { itemSchema } from "../../shared/item";
import { auditEntrySchema, type MediaUploadAnswer, mediaUploadAnswerSchema } from "../../shared/requests";
import { call, edit, errorOf, publish } from "../helpers/http";
import { Reader } from "../helpers/reader";
import { startTestServer, type TestServer } from "../helpers/server";
import { picture, upload } from "./pictures";

/*
 * An item's `image` (#15 "Pictures"): set on publish, changed and removed by edits (each an
 * `updated` change with a revision), its size always the stored picture's, and refused without
 * alt text or with an id no upload gave out.
 */

let server: TestServer;
let photo: MediaUploadAnswer;
let other: MediaUploadAnswer;
beforeAll(async () => {
  server = await startTestServer();
  photo = mediaUploadAnswerSchema.parse(
    (await upload(server.url, server.editorToken, await picture("jpeg", 1200, 800), "image/jpeg")).body,
  );
  other = mediaUploadAnswerSchema.parse(
    (await upload(server.url, server.editorToken, await picture("png", 600, 600), "image/png")).body,
  );
});
afterAll(async () => {
  await server.close();
});

describe("publishing with a picture", () => {
  it("keeps id, alt and credit, with the stored picture's size whatever the client says", async () => {
    const item = await publish(server.url, server.editorToken, {
      image: {
        id: photo.id,
        alt: "  Smoke over the harbour  ",
        credit: "Jane Reporter",
        width: 1,
        height: 99999,
      },
    });
    expect(item.image).toEqual({
      id: photo.id,
      alt: "Smoke over the harbour",
      credit: "Jane Reporter",
      width: 1200,
      height: 800,
    });
    const read = itemSchema.parse((await call(server.url, "GET", `/api/items/${item.id}`)).body);
    expect(read.image).toEqual(item.image);
  });

  it("has no picture unless one is given, and an empty credit is none", async () => {
    expect((await publish(server.url, server.editorToken)).image).toBeNull();
    const item = await publish(server.url, server.editorToken, {
      image: { id: photo.id, alt: "A", credit: "" },
    });
    expect(item.image).toEqual({ id: photo.id, alt: "A", width: 1200, height: 800 });
  });

  it.each([
    ["no alt text", { id: "PHOTO" }, "image.alt", "is required when an image is set"],
    ["empty alt text", { id: "PHOTO", alt: "   " }, "image.alt", "is required when an image is set"],
    [
      "an unknown id",
      { id: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", alt: "x" },
      "image.id",
      "upload it with POST /api/media",
    ],
    ["no id", { alt: "x" }, "image.id", "POST /api/media"],
    ["a path for an id", { id: "../../etc/passwd", alt: "x" }, "image.id", "POST /api/media"],
    ["a misspelt field", { id: "PHOTO", alt: "x", credti: "Jane" }, "image.credti", "is not a known field"],
  ])("refuses %s naming the field, and publishes nothing", async (_name, image, field, words) => {
    const before = await server.livedesk.timeline.latestSeq();
    const withPhoto = "id" in image && image.id === "PHOTO" ? { ...image, id: photo.id } : image;
    const body = { headline: "With a picture", topics: ["world"], image: withPhoto };
    const answer = await call(server.url, "POST", "/api/items", { token: server.editorToken, body });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).fields?.[field]).toContain(words);
    expect(await server.livedesk.timeline.latestSeq()).toBe(before);
  });
});

describe("changing the picture", () => {
  it("changes and removes it as updated changes with revisions, live to readers", async () => {
    const reader = new Reader(server.url);
    const kinds: string[] = [];
    reader.socket.on("timeline:changes", (changes) => {
      for (const change of changes) if (change.item.id === itemId) kinds.push(change.kind);
    });
    let itemId = "";
    const shown = () => reader.follower.view.items.find((i) => i.id === itemId)?.image;
    try {
      await reader.waitForSeq(0);
      const item = await publish(server.url, server.editorToken, { image: { id: photo.id, alt: "First" } });
      itemId = item.id;
      await reader.waitForSeq(item.seq);
      expect(shown()?.alt).toBe("First");

      const changed = await edit(server.url, server.editorToken, item, {
        image: { id: other.id, alt: "Second", credit: "Agency" },
      });
      expect(changed.image).toEqual({
        id: other.id,
        alt: "Second",
        credit: "Agency",
        width: 600,
        height: 600,
      });
      expect(changed.contentUpdatedAt).not.toBeNull();
      await reader.waitForSeq(changed.seq);
      expect(shown()).toEqual(changed.image);

      const kept = await edit(server.url, server.editorToken, changed, { headline: "Headline only" });
      expect(kept.image).toEqual(changed.image);
      const removed = await edit(server.url, server.editorToken, kept, { image: null });
      expect(removed.image).toBeNull();
      await reader.waitForSeq(removed.seq);
      expect(shown()).toBeNull();
      expect(kinds.filter((kind) => kind !== "created")).toEqual(["updated", "updated", "updated"]);

      const answer = await call(server.url, "GET", `/api/items/${item.id}/revisions`);
      const versions = z.object({ revisions: z.array(itemSchema) }).parse(answer.body).revisions;
      expect(versions.map((version) => version.image?.alt ?? null)).toEqual([
        "First",
        "Second",
        "Second",
        null,
      ]);
    } finally {
      reader.close();
    }
  });

  it("refuses an edit setting a picture without alt text, leaving the item as it was", async () => {
    const item = await publish(server.url, server.editorToken, { image: { id: photo.id, alt: "Kept" } });
    const answer = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: item.version, image: { id: other.id, alt: "" } },
    });
    expect(answer.status).toBe(400);
    expect(Object.keys(errorOf(answer).fields ?? {})).toEqual(["image.alt"]);
    const read = itemSchema.parse((await call(server.url, "GET", `/api/items/${item.id}`)).body);
    expect(read.image?.alt).toBe("Kept");
  });

  it("drops the picture from a retracted item's public tombstone", async () => {
    const item = await publish(server.url, server.editorToken, { image: { id: photo.id, alt: "Gone" } });
    const retracted = await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Wrong picture" },
    });
    expect(retracted.status).toBe(200);
    const shown = itemSchema.parse((await call(server.url, "GET", `/api/items/${item.id}`)).body);
    expect(shown.image).toBeNull();
  });
});

describe("the audit log", () => {
  it("names who uploaded a picture and who changed an item's picture", async () => {
    const bytes = await picture("webp", 320, 200);
    const uploaded = mediaUploadAnswerSchema.parse(
      (await upload(server.url, server.editorToken, bytes, "image/webp")).body,
    );
    const item = await publish(server.url, server.editorToken, { headline: "Audited picture" });
    await edit(server.url, server.editorToken, item, { image: { id: uploaded.id, alt: "Audited" } });
    const answer = await call(server.url, "GET", "/api/audit?limit=20", { token: server.adminToken });
    expect(answer.status).toBe(200);
    const entries = z
      .object({ entries: z.array(auditEntrySchema) })
      .parse(answer.body)
      .entries.map(({ actor, action, target, detail }) => ({ actor, action, target, detail }));
    expect(entries).toContainEqual({
      actor: "test wire",
      action: "media.uploaded",
      target: uploaded.id,
      detail: "320×200",
    });
    expect(entries).toContainEqual({
      actor: "test wire",
      action: "item.updated",
      target: item.id,
      detail: "Audited picture",
    });
  });
});
