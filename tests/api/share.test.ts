import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Item } from "../../shared/item";
import { mediaUploadAnswerSchema } from "../../shared/requests";
import { call, publish } from "../helpers/http";
import { startTestServer, type TestServer, tempDir } from "../helpers/server";
import { picture, upload } from "../media/pictures";

/*
 * What a shared link unfurls with: the permalink's and the dashboard's Open Graph tags and
 * schema.org JSON-LD, read from the HTML the server sends, hostile headlines included.
 */

let server: TestServer;
let clientDir: string;
beforeAll(async () => {
  // The dashboard's own template, so the pages are written into what the build ships.
  clientDir = tempDir();
  fs.copyFileSync(path.join(__dirname, "../../client/index.html"), path.join(clientDir, "index.html"));
  server = await startTestServer({ clientDir });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(clientDir, { recursive: true, force: true });
});

async function page(pathname: string): Promise<string> {
  const response = await fetch(`${server.url}${pathname}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The content of `<meta property|name="…">`, with the HTML escapes undone, or undefined. */
function meta(html: string, name: string): string | undefined {
  const tag = html.match(new RegExp(`<meta (?:property|name)="${name}" content="([^"]*)"`));
  return tag?.[1]
    ?.replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

/** Every JSON-LD block of the page, parsed. */
function jsonLd(html: string): unknown[] {
  return [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((block) =>
    JSON.parse(block[1] ?? ""),
  );
}

const isoTime = z.string().refine((text) => !Number.isNaN(Date.parse(text)), "must be a date-time");
const organization = z.object({ "@type": z.literal("Organization"), name: z.string().min(1) });
const newsArticle = z.object({
  "@context": z.literal("https://schema.org"),
  "@type": z.literal("NewsArticle"),
  headline: z.string().min(1),
  description: z.string().optional(),
  datePublished: isoTime,
  dateModified: isoTime,
  url: z.url(),
  mainEntityOfPage: z.url(),
  author: organization,
  publisher: organization,
  image: z.array(z.url()).optional(),
});
const liveBlogPosting = z.object({
  "@context": z.literal("https://schema.org"),
  "@type": z.literal("LiveBlogPosting"),
  headline: z.string().min(1),
  url: z.url(),
  coverageStartTime: isoTime,
  dateModified: isoTime,
  author: organization,
  publisher: organization,
  liveBlogUpdate: z.array(
    z.object({
      "@type": z.literal("BlogPosting"),
      headline: z.string().min(1),
      articleBody: z.string().optional(),
      datePublished: isoTime,
      dateModified: isoTime,
      url: z.url(),
      image: z.array(z.url()).optional(),
    }),
  ),
});

const HOSTILE = `</script><script>window.pwned=1</script><!-- "quoted" & 'single' <img src=x onerror=alert(1)>`;

describe("the permalink's meta", () => {
  it("has Open Graph, a summary card and a NewsArticle with the item's words", async () => {
    const item = await publish(server.url, server.editorToken, {
      headline: "Ferry service resumes after the storm",
      summary: "Crossings restart at 6:00; the first boats are full.",
    });
    const html = await page(`/items/${item.id}`);
    const url = `${server.url}/items/${item.id}`;
    expect(meta(html, "og:description")).toBe("Crossings restart at 6:00; the first boats are full.");
    expect(meta(html, "og:url")).toBe(url);
    expect(meta(html, "og:type")).toBe("article");
    expect(meta(html, "twitter:card")).toBe("summary");
    expect(meta(html, "og:image")).toBeUndefined();
    const [article, ...more] = jsonLd(html);
    expect(more).toEqual([]);
    const parsed = newsArticle.parse(article);
    expect(parsed).toMatchObject({
      headline: "Ferry service resumes after the storm",
      description: "Crossings restart at 6:00; the first boats are full.",
      datePublished: item.publishedAt,
      dateModified: item.publishedAt,
      url,
    });
    expect(parsed.image).toBeUndefined();
  });

  it("says when the content last changed", async () => {
    const item = await publish(server.url, server.editorToken, {
      headline: "Bridge closed",
      summary: "For now.",
    });
    const edited = await call(server.url, "PATCH", `/api/items/${item.id}`, {
      token: server.editorToken,
      body: { version: item.version, summary: "Until Friday." },
    });
    expect(edited.status).toBe(200);
    const parsed = newsArticle.parse(jsonLd(await page(`/items/${item.id}`))[0]);
    expect(parsed.description).toBe("Until Friday.");
    expect(parsed.dateModified > item.publishedAt).toBe(true);
  });

  it("keeps a hostile headline and summary as text in the tags and the JSON-LD", async () => {
    const item = await publish(server.url, server.editorToken, { headline: HOSTILE, summary: HOSTILE });
    const html = await page(`/items/${item.id}`);
    // Nothing the item says opens or closes an element: every `<` it carries is escaped.
    expect(html).not.toContain("window.pwned=1</script>");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("\\u003c/script\\u003e\\u003cscript\\u003e");
    expect(meta(html, "og:description")).toBe(HOSTILE);
    expect(meta(html, "og:title")).toBe(`${HOSTILE} — livedesk`);
    expect(newsArticle.parse(jsonLd(html)[0])).toMatchObject({ headline: HOSTILE, description: HOSTILE });
  });

  it("of a retracted item carries neither its summary nor its picture", async () => {
    const item = await publish(server.url, server.editorToken, {
      headline: "Minister resigns",
      summary: "A report the desk could not stand by.",
    });
    const retracted = await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "The report was wrong." },
    });
    expect(retracted.status).toBe(200);
    const html = await page(`/items/${item.id}`);
    expect(html).not.toContain("A report the desk could not stand by.");
    expect(meta(html, "og:description")).toBe("This item was retracted. The report was wrong.");
    const parsed = newsArticle.parse(jsonLd(html)[0]);
    expect(parsed.headline).toBe("Minister resigns");
    expect(parsed.description).toBeUndefined();
  });
});

describe("the site's public address", () => {
  it("names LIVEDESK_PUBLIC_URL in the meta, whatever address the request came by", async () => {
    const behindProxy = await startTestServer({ clientDir, publicUrl: "https://news.example" });
    try {
      const item = await publish(behindProxy.url, behindProxy.editorToken, { headline: "Public address" });
      const permalink = await (await fetch(`${behindProxy.url}/items/${item.id}`)).text();
      expect(meta(permalink, "og:url")).toBe(`https://news.example/items/${item.id}`);
      expect(newsArticle.parse(jsonLd(permalink)[0]).url).toBe(`https://news.example/items/${item.id}`);
      const dashboard = await (await fetch(`${behindProxy.url}/`)).text();
      expect(meta(dashboard, "og:url")).toBe("https://news.example/");
      expect(liveBlogPosting.parse(jsonLd(dashboard)[0]).liveBlogUpdate[0]?.url).toBe(
        `https://news.example/items/${item.id}`,
      );
    } finally {
      await behindProxy.close();
    }
  });
});

describe("the dashboard's meta", () => {
  it("is a LiveBlogPosting whose updates are the newest items, retracted ones left out", async () => {
    const first = await publish(server.url, server.editorToken, {
      headline: "Coverage opens",
      summary: "Day one.",
    });
    const hostile = await publish(server.url, server.editorToken, { headline: HOSTILE });
    const withdrawn = await publish(server.url, server.editorToken, { headline: "Soon retracted" });
    const retracted = await call(server.url, "POST", `/api/items/${withdrawn.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Wrong." },
    });
    expect(retracted.status).toBe(200);
    const html = await page("/");
    expect(html).not.toContain("window.pwned=1</script>");
    const [blocks, ...more] = jsonLd(html);
    expect(more).toEqual([]);
    const blog = liveBlogPosting.parse(blocks);
    expect(blog.url).toBe(`${server.url}/`);
    const headlines = blog.liveBlogUpdate.map((update) => update.headline);
    expect(headlines).toContain("Coverage opens");
    expect(headlines).toContain(HOSTILE);
    expect(headlines).not.toContain("Soon retracted");
    expect(
      blog.liveBlogUpdate.find((update) => update.url === `${server.url}/items/${hostile.id}`),
    ).toBeDefined();
    // The first paint's updates start no earlier than the oldest of them.
    const oldest = blog.liveBlogUpdate.map((update) => update.datePublished).sort()[0];
    expect(blog.coverageStartTime).toBe(oldest);
    expect(blog.coverageStartTime <= first.publishedAt).toBe(true);
  });
});

describe("a picture in the meta", () => {
  async function pictured(): Promise<Item> {
    const uploaded = await upload(
      server.url,
      server.editorToken,
      await picture("jpeg", 2400, 1600),
      "image/jpeg",
    );
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const { id } = mediaUploadAnswerSchema.parse(uploaded.body);
    return publish(server.url, server.editorToken, {
      headline: "Flooded square",
      summary: "Water up to the benches.",
      image: { id, alt: "Water up to the benches of the square", credit: "Desk photographer" },
    });
  }

  it("is og:image at the preview width with its size and alt text, a large card, and the article's image", async () => {
    const item = await pictured();
    const html = await page(`/items/${item.id}`);
    const image = `${server.url}/media/${item.image?.id}?w=1280`;
    expect(meta(html, "og:image")).toBe(image);
    expect(meta(html, "og:image:width")).toBe("1280");
    expect(meta(html, "og:image:height")).toBe("853");
    expect(meta(html, "og:image:alt")).toBe("Water up to the benches of the square");
    expect(meta(html, "twitter:card")).toBe("summary_large_image");
    expect(newsArticle.parse(jsonLd(html)[0]).image).toEqual([image]);
    // What a preview fetches is a picture, 1280 wide.
    const served = await fetch(image);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toMatch(/^image\//);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(1280);

    const blog = liveBlogPosting.parse(jsonLd(await page("/"))[0]);
    expect(blog.liveBlogUpdate.find((update) => update.headline === "Flooded square")?.image).toEqual([
      image,
    ]);
  });

  it("is left out once the item is retracted", async () => {
    const item = await pictured();
    const retracted = await call(server.url, "POST", `/api/items/${item.id}/retract`, {
      token: server.editorToken,
      body: { reason: "Another square." },
    });
    expect(retracted.status).toBe(200);
    const html = await page(`/items/${item.id}`);
    expect(meta(html, "og:image")).toBeUndefined();
    expect(meta(html, "og:image:alt")).toBeUndefined();
    expect(meta(html, "twitter:card")).toBe("summary");
    expect(newsArticle.parse(jsonLd(html)[0]).image).toBeUndefined();
  });
});
