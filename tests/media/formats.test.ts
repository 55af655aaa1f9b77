import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Item } from "../../shared/item";
import { type MediaUploadAnswer, mediaUploadAnswerSchema } from "../../shared/requests";
import { ATOM_SCHEMA, validateAtom, xpathText } from "../feeds/atom";
import { call, publish } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { picture, upload } from "./pictures";

/*
 * An item's picture through every format livedesk gives out: JSON Feed (`image`, and the figure
 * with its alt text and credit), Atom (an enclosure link and the figure), and ninjs 3.0 (an
 * association of type picture), each still valid against its schema; and the address each names
 * serves the picture.
 */

const fixtures = path.resolve(import.meta.dirname, "..", "fixtures");
const readJson = (file: string): Record<string, unknown> =>
  z.record(z.string(), z.unknown()).parse(JSON.parse(fs.readFileSync(path.join(fixtures, file), "utf8")));

const jsonFeedAjv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(jsonFeedAjv);
const validateJsonFeed = jsonFeedAjv.compile(readJson("feeds/jsonfeed-1.1.schema.json"));

const ninjsAjv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ninjsAjv);
ninjsAjv.addSchema(readJson("ninjs/GeoJSON-schema.json"));
const validateNinjs = ninjsAjv.compile(readJson("ninjs/ninjs-schema_3.0.json"));

let server: TestServer;
let photo: MediaUploadAnswer;
let item: Item;
beforeAll(async () => {
  server = await startTestServer();
  photo = mediaUploadAnswerSchema.parse(
    (await upload(server.url, server.editorToken, await picture("jpeg", 1600, 1000), "image/jpeg")).body,
  );
  item = await publish(server.url, server.editorToken, {
    headline: "Dam breached upstream",
    summary: "Water is rising in the valley.",
    image: { id: photo.id, alt: 'Flood water over a road <b>"sign"</b>', credit: "Ana & Co" },
  });
});
afterAll(async () => {
  await server.close();
});

async function widthAt(address: string): Promise<number | undefined> {
  const response = await fetch(address);
  expect(response.status).toBe(200);
  return (await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width;
}

describe("the picture in the feeds and ninjs", () => {
  it("is the JSON Feed item's image, with alt text and credit in its content", async () => {
    const raw: unknown = await (await fetch(`${server.url}/feed.json`)).json();
    expect(validateJsonFeed(raw), jsonFeedAjv.errorsText(validateJsonFeed.errors)).toBe(true);
    const entry = z
      .object({
        items: z.array(
          z.object({
            id: z.string(),
            image: z.string().optional(),
            content_html: z.string(),
            _livedesk: z.object({ image: z.unknown() }),
          }),
        ),
      })
      .parse(raw)
      .items.find((i) => i.id === `urn:livedesk:item:${item.id}`);
    expect(entry?.image).toBe(`${server.url}/media/${photo.id}?w=1280`);
    expect(entry?._livedesk.image).toEqual(item.image);
    expect(entry?.content_html).toContain(
      'alt="Flood water over a road &lt;b&gt;&quot;sign&quot;&lt;/b&gt;" width="1600" height="1000"',
    );
    expect(entry?.content_html).toContain("<figcaption>Picture: Ana &amp; Co</figcaption>");
    expect(await widthAt(entry?.image ?? "")).toBe(1280);
  });

  it("is an Atom enclosure and a figure in the entry's content, still valid Atom", async () => {
    const xml = await (await fetch(`${server.url}/feed.atom`)).text();
    expect(validateAtom(xml, ATOM_SCHEMA)).toEqual({ valid: true, errors: "" });
    expect(validateAtom(xml)).toEqual({ valid: true, errors: "" });
    const entry = `/*[local-name()='feed']/*[local-name()='entry'][*[local-name()='id']='urn:livedesk:item:${item.id}']`;
    const enclosure = `${entry}/*[local-name()='link'][@rel='enclosure']`;
    expect(xpathText(xml, `${enclosure}/@href`)).toBe(`${server.url}/media/${photo.id}?w=1280`);
    expect(xpathText(xml, `${enclosure}/@type`)).toBe("image/webp");
    const img = `${entry}/*[local-name()='content']//*[local-name()='img']`;
    expect(xpathText(xml, `${img}/@alt`)).toBe('Flood water over a road <b>"sign"</b>');
    expect(xpathText(xml, `${entry}/*[local-name()='content']//*[local-name()='figcaption']`)).toBe(
      "Picture: Ana & Co",
    );
  });

  it("is a ninjs picture association with its alt text, credit and renditions, valid ninjs 3.0", async () => {
    const answer = await call(server.url, "GET", `/api/items/${item.id}/ninjs`);
    expect(answer.status).toBe(200);
    expect(validateNinjs(answer.body), ninjsAjv.errorsText(validateNinjs.errors)).toBe(true);
    const picture = z
      .object({
        associations: z.array(
          z.object({
            name: z.string(),
            type: z.string().optional(),
            by: z.string().optional(),
            descriptions: z.array(z.object({ role: z.string(), value: z.string() })).optional(),
            renditions: z
              .array(z.object({ href: z.string(), width: z.number(), height: z.number() }))
              .optional(),
          }),
        ),
      })
      .parse(answer.body)
      .associations.find((association) => association.type === "picture");
    expect(picture).toMatchObject({
      name: "mainpicture",
      by: "Ana & Co",
      descriptions: [{ role: "alt", value: 'Flood water over a road <b>"sign"</b>' }],
    });
    expect(picture?.renditions?.map(({ width, height }) => [width, height])).toEqual([
      [320, 200],
      [640, 400],
      [960, 600],
      [1280, 800],
    ]);
    for (const rendition of picture?.renditions ?? [])
      expect(await widthAt(rendition.href)).toBe(rendition.width);
  });

  it("leaves the picture out of a retracted item everywhere", async () => {
    const gone = await publish(server.url, server.editorToken, {
      headline: "Wrong picture",
      image: { id: photo.id, alt: "Not what it seems" },
    });
    await call(server.url, "POST", `/api/items/${gone.id}/retract`, {
      token: server.editorToken,
      body: { reason: "The picture was from another year." },
    });
    const feed = await (await fetch(`${server.url}/feed.json`)).text();
    const atom = await (await fetch(`${server.url}/feed.atom`)).text();
    const ninjs = JSON.stringify((await call(server.url, "GET", `/api/items/${gone.id}/ninjs`)).body);
    for (const text of [feed, atom, ninjs]) expect(text).not.toContain("Not what it seems");
  });
});
