import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEDIA_MAX_BYTES } from "../../shared/limits";
import { mediaUploadAnswerSchema } from "../../shared/requests";
import { errorOf } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { phonePhoto, picture, pngBomb, SVG, upload } from "./pictures";

/*
 * `POST /api/media` and `GET /media/:id` (#15 "Pictures") on the real server and a real SQLite
 * file: what is kept is livedesk's own WebP, upright and without the upload's metadata; anything
 * that is not an accepted picture is refused with nothing kept.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function served(id: string, width = 1280): Promise<Response> {
  return fetch(`${server.url}/media/${id}?w=${width}`);
}

async function count(): Promise<number> {
  return server.storage.media().countMedia();
}

describe("accepted pictures", () => {
  it("strips a phone photo's EXIF (GPS, owner) and turns it upright by its orientation", async () => {
    const photo = await phonePhoto();
    const before = await sharp(photo).metadata();
    // The EXIF holds a GPS IFD (its pointer, tag 0x8825, in either byte order) and the owner's name.
    const exif = before.exif ?? Buffer.alloc(0);
    expect(exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    expect(exif.includes("Jane Reporter")).toBe(true);
    expect(before.orientation).toBe(6);

    const answer = await upload(server.url, server.editorToken, photo, "image/jpeg");
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const { id, width, height } = mediaUploadAnswerSchema.parse(answer.body);
    // Stored 400×300 turned a quarter: upright it is 300 wide and 400 high.
    expect({ width, height }).toEqual({ width: 300, height: 400 });

    const response = await served(id);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.includes("Jane Reporter")).toBe(false);
    const after = await sharp(bytes).metadata();
    expect(after.format).toBe("webp");
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect({ width: after.width, height: after.height }).toEqual({ width: 300, height: 400 });
  });

  it("keeps a PNG's transparency", async () => {
    const logo = await sharp({
      create: { width: 200, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const { id } = mediaUploadAnswerSchema.parse(
      (await upload(server.url, server.editorToken, logo, "image/png")).body,
    );
    const shown = await sharp(Buffer.from(await (await served(id, 320)).arrayBuffer())).metadata();
    expect(shown.hasAlpha).toBe(true);
  });

  it("serves none of what was hidden after the picture's data (a JPEG/HTML polyglot)", async () => {
    const hidden = Buffer.from("<html><script>alert(document.cookie)</script></html>");
    const polyglot = Buffer.concat([await picture("jpeg"), hidden]);
    const answer = await upload(server.url, server.editorToken, polyglot, "image/jpeg");
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const { id } = mediaUploadAnswerSchema.parse(answer.body);
    for (const width of [320, 1280]) {
      const bytes = Buffer.from(await (await served(id, width)).arrayBuffer());
      expect(bytes.includes("<script")).toBe(false);
      expect(bytes.subarray(0, 4).toString("latin1")).toBe("RIFF");
    }
  });

  it.each(["png", "webp", "avif"] as const)("takes a %s picture and serves it as WebP", async (format) => {
    const answer = await upload(server.url, server.editorToken, await picture(format), `image/${format}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const { id, width, height } = mediaUploadAnswerSchema.parse(answer.body);
    expect({ width, height }).toEqual({ width: 400, height: 300 });
    const response = await served(id, 320);
    expect(response.headers.get("content-type")).toBe("image/webp");
    const shown = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect({ format: shown.format, width: shown.width, height: shown.height }).toEqual({
      format: "webp",
      width: 320,
      height: 240,
    });
  });

  it("lets an admin upload too, and keeps the same picture once", async () => {
    const bytes = await picture("png", 500, 200);
    const first = mediaUploadAnswerSchema.parse(
      (await upload(server.url, server.adminToken, bytes, "image/png")).body,
    );
    const before = await count();
    const again = await upload(server.url, server.editorToken, bytes, "image/png");
    expect(again.status).toBe(201);
    expect(mediaUploadAnswerSchema.parse(again.body)).toEqual(first);
    expect(await count()).toBe(before);
  });
});

describe("refused uploads keep nothing", () => {
  const cases: [string, () => Promise<Buffer | string>, string | null, number, string][] = [
    [
      "a text file sent as a JPEG",
      async () => "just some words, not a picture",
      "image/jpeg",
      400,
      "not a picture",
    ],
    ["a text file as text/plain", async () => "just some words", "text/plain", 415, "text/plain"],
    [
      "a truncated JPEG",
      async () => {
        const whole = await picture("jpeg", 800, 600);
        return whole.subarray(0, Math.floor(whole.length * 0.6));
      },
      "image/jpeg",
      400,
      "cut short",
    ],
    ["an SVG", async () => SVG, "image/svg+xml", 415, "image/svg+xml"],
    ["an SVG sent as a PNG", async () => SVG, "image/png", 400, "image/png"],
    ["a GIF", () => picture("gif"), "image/gif", 415, "image/gif"],
    ["a PNG sent as a JPEG", () => picture("png"), "image/jpeg", 400, "a PNG picture"],
    ["a JPEG sent as a WebP", () => picture("jpeg"), "image/webp", 400, "a JPEG picture"],
    ["no Content-Type", () => picture("png"), null, 415, "No Content-Type"],
    ["a decompression bomb (30000×30000 declared)", async () => pngBomb(), "image/png", 400, "30000×30000"],
    ["an empty body", async () => "", "image/png", 400, "empty"],
  ];

  it.each(cases)("refuses %s", async (_name, make, type, status, words) => {
    const before = await count();
    const answer = await upload(server.url, server.editorToken, await make(), type);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(errorOf(answer).message).toContain(words);
    expect(await count()).toBe(before);
  });

  it("refuses a body over 10 MB with 413", async () => {
    const before = await count();
    const big = Buffer.concat([await picture("jpeg"), Buffer.alloc(MEDIA_MAX_BYTES)]);
    const answer = await upload(server.url, server.editorToken, big, "image/jpeg");
    expect(answer.status).toBe(413);
    expect(errorOf(answer).message).toContain("10 MB");
    expect(await count()).toBe(before);
  });

  it("refuses anyone without an editor's or admin's credentials", async () => {
    const before = await count();
    const bytes = await picture("png");
    const anonymous = await upload(server.url, null, bytes, "image/png");
    expect(anonymous.status).toBe(401);
    const badToken = await upload(server.url, "ldk_not-a-token", bytes, "image/png");
    expect(badToken.status).toBe(401);
    expect(await count()).toBe(before);
  });

  it("refuses an operator's session without the CSRF token, and one from a foreign origin", async () => {
    const password = "a long enough password 1";
    await server.livedesk.auth.bootstrapAdmin(password);
    const login = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const csrf = String((await login.json()).csrfToken);
    const bytes = await picture("png", 300, 300);
    const before = await count();
    const noCsrf = await upload(server.url, null, bytes, "image/png", { cookie });
    expect(noCsrf.status).toBe(403);
    const foreign = await upload(server.url, null, bytes, "image/png", {
      cookie,
      "x-csrf-token": csrf,
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    expect(await count()).toBe(before);
    const allowed = await upload(server.url, null, bytes, "image/png", { cookie, "x-csrf-token": csrf });
    expect(allowed.status).toBe(201);
  });
});

describe("GET /media/:id", () => {
  let id: string;
  beforeAll(async () => {
    const answer = await upload(
      server.url,
      server.editorToken,
      await picture("jpeg", 1600, 900),
      "image/jpeg",
    );
    id = mediaUploadAnswerSchema.parse(answer.body).id;
  });

  it.each([320, 640, 960, 1280])("serves width %i with long-lived caching set by livedesk", async (width) => {
    const response = await served(id, width);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/webp");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    // Named in the feeds: feed readers on other sites may show it.
    expect(response.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(response.headers.get("etag")).toMatch(/^".+"$/);
    const shown = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(shown.width).toBe(width);
    expect(shown.height).toBe(Math.round((width * 900) / 1600));
  });

  it("serves the default width without w, and 304 on a matching If-None-Match", async () => {
    const response = await fetch(`${server.url}/media/${id}`);
    expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width).toBe(960);
    const etag = response.headers.get("etag") ?? "";
    const again = await fetch(`${server.url}/media/${id}`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("never enlarges a narrow picture", async () => {
    const small = mediaUploadAnswerSchema.parse(
      (await upload(server.url, server.editorToken, await picture("png", 200, 100), "image/png")).body,
    );
    const shown = await sharp(Buffer.from(await (await served(small.id, 1280)).arrayBuffer())).metadata();
    expect({ width: shown.width, height: shown.height }).toEqual({ width: 200, height: 100 });
  });

  it.each(["100", "2000", "abc", "640.5", ""])("refuses w=%s naming the allowed widths", async (w) => {
    const response = await fetch(`${server.url}/media/${id}?w=${w}`);
    expect(response.status).toBe(400);
    const body: unknown = await response.json();
    expect(JSON.stringify(body)).toContain("320, 640, 960, 1280");
  });

  it("answers 404 for an unknown id and for one that is no id at all", async () => {
    expect((await served("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
    expect((await fetch(`${server.url}/media/..%2Fetc%2Fpasswd?w=320`)).status).toBe(404);
  });
});

describe("/metrics", () => {
  async function counter(name: string, label: string): Promise<number> {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`${name}{${label}}`));
    return line === undefined ? 0 : Number(line.split(" ").at(-1));
  }

  it("counts uploads by result, and widths made against widths kept; a revalidation makes none", async () => {
    const stored = await counter("livedesk_media_uploads_total", 'result="stored"');
    const mismatched = await counter("livedesk_media_uploads_total", 'result="type_mismatch"');
    const answer = await upload(
      server.url,
      server.editorToken,
      await picture("webp", 700, 500),
      "image/webp",
    );
    const { id } = mediaUploadAnswerSchema.parse(answer.body);
    await upload(server.url, server.editorToken, await picture("webp"), "image/png");
    expect(await counter("livedesk_media_uploads_total", 'result="stored"')).toBe(stored + 1);
    expect(await counter("livedesk_media_uploads_total", 'result="type_mismatch"')).toBe(mismatched + 1);

    const made = await counter("livedesk_media_widths_total", 'answer="made"');
    const kept = await counter("livedesk_media_widths_total", 'answer="kept"');
    const first = await served(id, 640);
    await served(id, 640);
    expect(await counter("livedesk_media_widths_total", 'answer="made"')).toBe(made + 1);
    expect(await counter("livedesk_media_widths_total", 'answer="kept"')).toBe(kept + 1);
    // A copy of a width this node never made: answered 304 from the id alone.
    const revalidated = await fetch(`${server.url}/media/${id}?w=1280`, {
      headers: { "if-none-match": `"${id}-1280"` },
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(`"${id}-1280"`);
    expect(await counter("livedesk_media_widths_total", 'answer="made"')).toBe(made + 1);
    expect(first.headers.get("etag")).toBe(`"${id}-640"`);
    const unknown = await fetch(`${server.url}/media/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?w=640`, {
      headers: { "if-none-match": '"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-640"' },
    });
    expect(unknown.status).toBe(404);
  });
});
