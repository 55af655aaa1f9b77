import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { itemSchema } from "../../shared/item";
import { mediaUploadAnswerSchema } from "../../shared/requests";
import { incomingEntrySchema, wireSourceSchema } from "../../shared/wires";
import { type FeedServer, serveDocument, startFeedServer } from "../helpers/feed-server";
import { call, errorOf } from "../helpers/http";
import { startTestServer, type TestServer, WIRES_POLLED_BY_HAND } from "../helpers/server";
import { atom } from "../wires/feeds";
import { picture, upload } from "./pictures";

/*
 * A wire entry held for an operator (Incoming) published with a picture, as the composer does
 * for its own items: alt text required, the size from the stored picture.
 */

let feeds: FeedServer;
let server: TestServer;
beforeAll(async () => {
  feeds = await startFeedServer();
  server = await startTestServer({ wires: WIRES_POLLED_BY_HAND });
});
afterAll(async () => {
  await server.close();
  await feeds.close();
});

describe("publishing a held wire entry with a picture", () => {
  it("refuses it without alt text and publishes it with the picture's stored size", async () => {
    feeds.route(
      "/held",
      serveDocument(
        atom([{ id: "urn:agency:9", title: "Flooding in the delta", date: "2026-03-01T11:00:00.000Z" }]),
        "application/atom+xml",
      ),
    );
    const added = await call(server.url, "POST", "/api/sources", {
      token: server.adminToken,
      body: { url: `${feeds.url}/held`, name: "Delta wire", topics: ["world"], mode: "hold" },
    });
    const source = wireSourceSchema.parse(added.body);
    await call(server.url, "POST", `/api/sources/${source.id}/poll`, { token: server.adminToken });
    const held = z
      .array(incomingEntrySchema)
      .parse((await call(server.url, "GET", "/api/incoming", { token: server.editorToken })).body);
    const entry = held.find((e) => e.sourceId === source.id);
    expect(entry?.headline).toBe("Flooding in the delta");

    const photo = mediaUploadAnswerSchema.parse(
      (await upload(server.url, server.editorToken, await picture("png", 800, 450), "image/png")).body,
    );
    const refused = await call(server.url, "POST", `/api/incoming/${entry?.id}/publish`, {
      token: server.editorToken,
      body: { image: { id: photo.id } },
    });
    expect(refused.status).toBe(400);
    expect(errorOf(refused).fields).toHaveProperty("image.alt");

    const published = await call(server.url, "POST", `/api/incoming/${entry?.id}/publish`, {
      token: server.editorToken,
      body: { image: { id: photo.id, alt: "Fields under water", credit: "Delta wire" } },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    expect(itemSchema.parse(published.body).image).toEqual({
      id: photo.id,
      alt: "Fields under water",
      credit: "Delta wire",
      width: 800,
      height: 450,
    });
  });
});
