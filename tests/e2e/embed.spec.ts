import type { Page } from "@playwright/test";
import { DESK_ADMIN_PASSWORD, Desk } from "../helpers/desk";
import { startPartnerSite } from "../helpers/partner-site";
import { expect, seriousViolations, test } from "./fixtures";
import { AdminPage } from "./pages/admin";
import { EmbedFrame } from "./pages/embed";

/*
 * A partner's page on another site embeds the ticker and the feed through /embed.js, as the
 * snippet in docs/embeds.md tells partners to. Its own livedesk per test file, allowing the
 * partner's origin in LIVEDESK_FRAME_ANCESTORS.
 */

const NEW_TAB = " (opens in a new tab)";

/** A partner's page with `embeds` (the divs and the loader's script tag) in its main part. */
function partnerPage(embeds: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Partner news</title></head>
<body><main><h1>The partner's front page</h1>${embeds}</main></body></html>`;
}

let desk: Desk;
let partner: { url: string; close(): Promise<void> };
/** What the partner's site serves: the page of every test but the snippet's. */
let html = "";
let frontPage = "";

test.beforeAll(async () => {
  // The partner's origin is only known once it listens; the page it serves names livedesk's.
  partner = await startPartnerSite(() => html);
  desk = await Desk.start({ env: { LIVEDESK_FRAME_ANCESTORS: new URL(partner.url).origin } });
  frontPage = partnerPage(
    `<div data-livedesk="ticker" data-topic="politics"><a href="${desk.url}/embed/ticker?topic=politics">Breaking news on livedesk</a></div>
<div data-livedesk="feed" data-topic="sport weather" data-limit="3" data-compact><a href="${desk.url}/embed/feed?topic=sport&amp;topic=weather">News on livedesk</a></div>
<script src="${desk.url}/embed.js" async></script>`,
  );
  html = frontPage;
});
test.afterAll(async () => {
  await desk?.stop();
  await partner?.close();
});

async function openPartner(page: Page): Promise<{ ticker: EmbedFrame; feed: EmbedFrame }> {
  await page.goto(partner.url);
  const ticker = new EmbedFrame(page, "ticker");
  const feed = new EmbedFrame(page, "feed");
  await expect(ticker.status).toHaveText("Live");
  await expect(feed.status).toHaveText("Live");
  return { ticker, feed };
}

test("a partner's page shows the live ticker of its topic, linking to the permalink in a new tab", async ({
  page,
}) => {
  const { ticker } = await openPartner(page);
  const flash = await desk.publish({ headline: "Cabinet resigns", topics: ["politics"], breaking: true });
  await desk.publish({ headline: "Stadium evacuated", topics: ["sport"], breaking: true });
  await desk.publish({ headline: "Committee meets", topics: ["politics"] });
  await expect(ticker.headline(`Cabinet resigns${NEW_TAB}`)).toBeVisible();
  const last = await desk.publish({ headline: "Parliament dissolved", topics: ["politics"], breaking: true });
  await expect(ticker.headlines()).toHaveText([
    `Parliament dissolved${NEW_TAB}`,
    `Cabinet resigns${NEW_TAB}`,
  ]);
  // Other topics, and news that is not breaking, stay off this ticker.
  await expect(ticker.frame.getByText("Stadium evacuated")).toHaveCount(0);
  await expect(ticker.frame.getByText("Committee meets")).toHaveCount(0);

  // A correction reaches the partner's page too; a retraction takes the headline off it.
  await desk.edit(flash, { headline: "Cabinet resigns in full", correction: "All ministers, not some." });
  await expect(ticker.headlines()).toHaveText([
    `Parliament dissolved${NEW_TAB}`,
    `Cabinet resigns in full${NEW_TAB}`,
  ]);
  await desk.retract(last, "Not confirmed.");
  await expect(ticker.headlines()).toHaveText([`Cabinet resigns in full${NEW_TAB}`]);

  const popup = page.waitForEvent("popup");
  await ticker.headline(`Cabinet resigns in full${NEW_TAB}`).click();
  const permalink = await popup;
  await expect(permalink).toHaveURL(`${desk.url}/items/${flash.id}`);
  await expect(permalink.getByRole("heading", { level: 1, name: "Cabinet resigns in full" })).toBeVisible();
  await permalink.close();
  // The partner's page stayed where it was.
  await expect(page).toHaveURL(partner.url);
});

test("the iframe grows and shrinks with the embed, and heeds no one else's height", async ({ page }) => {
  // A topic of this test's own, so that no other test's items fill the feed up.
  await desk.createTopic("stadium", "Stadium");
  html = partnerPage(
    `<div data-livedesk="feed" data-topic="stadium"></div><script src="${desk.url}/embed.js" async></script>`,
  );
  try {
    await expectSizedByEmbed(page);
  } finally {
    html = frontPage;
  }
});

async function expectSizedByEmbed(page: Page): Promise<void> {
  await page.goto(partner.url);
  const feed = new EmbedFrame(page, "feed");
  await expect(feed.status).toHaveText("Live");
  const heightOf = async () => Math.round((await feed.iframe.boundingBox())?.height ?? 0);
  const contentHeight = () =>
    feed.frame
      .locator("body")
      .evaluate((body) => Math.ceil(body.firstElementChild?.getBoundingClientRect().height ?? 0));
  await expect.poll(async () => (await heightOf()) - (await contentHeight())).toBe(0);
  const before = await heightOf();
  const published = [];
  for (const headline of ["Final postponed", "Stands reopen", "Derby sold out"])
    published.push(await desk.publish({ headline, topics: ["stadium"] }));
  await expect(feed.headlines()).toHaveCount(3);
  await expect.poll(heightOf).toBeGreaterThan(before);
  await expect.poll(async () => (await heightOf()) - (await contentHeight())).toBe(0);

  const grown = await heightOf();
  const [derby] = published.slice(-1);
  if (derby !== undefined) await desk.retract(derby, "Not confirmed.");
  await expect(feed.headlines()).toHaveCount(2);
  await expect.poll(heightOf).toBeLessThan(grown);
  await expect.poll(async () => (await heightOf()) - (await contentHeight())).toBe(0);

  // A message in the embed's words from the partner's own page (not from livedesk) changes nothing.
  // The loader listened first, so it has had the message once this page's own listener has.
  const settled = await heightOf();
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        window.addEventListener("message", resolve, { once: true });
        window.postMessage({ type: "livedesk:embed-height", height: 7 }, "*");
      }),
  );
  expect(await heightOf()).toBe(settled);
}

test("the feed shows its topics' newest items up to its limit, headlines only when compact", async ({
  page,
}) => {
  const { feed } = await openPartner(page);
  const shown = ["Rain returns", "Cup draw made", "Coach resigns", "Storm clears"];
  for (const headline of shown)
    await desk.publish({
      headline,
      summary: `${headline}: details.`,
      topics: [headline.includes("r") ? "weather" : "sport"],
    });
  await desk.publish({ headline: "Budget passed", topics: ["politics"] });
  await expect(feed.headlines()).toHaveText(
    shown
      .slice(1)
      .reverse()
      .map((h) => `${h}${NEW_TAB}`),
  );
  await expect(feed.frame.getByText("Storm clears: details.")).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test("the embeds catch up after the server restarts", async ({ page }) => {
  test.setTimeout(90_000);
  const { ticker } = await openPartner(page);
  await desk.publish({ headline: "Before the restart", topics: ["politics"], breaking: true });
  await expect(ticker.headline(`Before the restart${NEW_TAB}`)).toBeVisible();
  await desk.kill();
  await expect(ticker.status).not.toHaveText("Live");
  await desk.restart();
  // Published while the embed is still away, and after it is back: both arrive, once, in order.
  await desk.publish({ headline: "During the outage", topics: ["politics"], breaking: true });
  await expect(ticker.status).toHaveText("Live", { timeout: 30_000 });
  await desk.publish({ headline: "After the restart", topics: ["politics"], breaking: true });
  await expect(ticker.headlines().first()).toHaveText(`After the restart${NEW_TAB}`);
  const headlines = await ticker.headlines().allTextContents();
  expect(headlines.slice(0, 3)).toEqual(
    ["After the restart", "During the outage", "Before the restart"].map((h) => `${h}${NEW_TAB}`),
  );
  expect(new Set(headlines).size).toBe(headlines.length);
});

test("without scripts a partner's page keeps a plain link to the embed", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(partner.url);
    const link = page.getByRole("link", { name: "Breaking news on livedesk" });
    await expect(link).toHaveAttribute("href", `${desk.url}/embed/ticker?topic=politics`);
    await expect(page.locator("iframe")).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test("the snippet from the operator panel, pasted into a partner's page, shows the embed", async ({
  browser,
}) => {
  const context = await browser.newContext({
    baseURL: desk.url,
    permissions: ["clipboard-read", "clipboard-write"],
  });
  try {
    const page = await context.newPage();
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Embed" }).click();
    await page.getByRole("combobox", { name: "What to embed" }).selectOption("Feed");
    await page.getByRole("group", { name: "Topics" }).getByRole("checkbox", { name: "Politics" }).check();
    await page.getByRole("textbox", { name: "Headlines shown" }).fill("2");
    await page.getByRole("button", { name: "Copy snippet" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Snippet copied." })).toBeVisible();
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    await expect(page.getByRole("textbox", { name: "Snippet" })).toHaveValue(snippet);
    expect(snippet).toContain(`<script src="${desk.url}/embed.js" async></script>`);
    expect(await seriousViolations(page)).toEqual([]);

    html = partnerPage(snippet);
    for (const headline of ["Vote delayed", "Minister quits", "Poll opens"])
      await desk.publish({ headline, topics: ["politics"] });
    const partnerTab = await context.newPage();
    await partnerTab.goto(partner.url);
    const feed = new EmbedFrame(partnerTab, "feed");
    await expect(feed.headlines()).toHaveText([`Poll opens${NEW_TAB}`, `Minister quits${NEW_TAB}`]);
  } finally {
    html = frontPage;
    await context.close();
  }
});

test("a headline keeps keyboard focus when news arrives above it", async ({ page }) => {
  const { ticker } = await openPartner(page);
  await desk.publish({ headline: "Speaker elected", topics: ["politics"], breaking: true });
  const link = ticker.headline(`Speaker elected${NEW_TAB}`);
  await link.focus();
  await desk.publish({ headline: "Session opens", topics: ["politics"], breaking: true });
  await expect(ticker.headlines().first()).toHaveText(`Session opens${NEW_TAB}`);
  await expect(link).toBeFocused();
});

test("dark, on a phone: readable and no wider than the screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  html = partnerPage(
    `<div data-livedesk="feed" data-theme="dark"></div><script src="${desk.url}/embed.js" async></script>`,
  );
  try {
    await desk.publish({
      headline: "A long headline about the regional council's decision on the new harbour's opening hours",
      summary: "Longwordwithoutanyspacesthatcouldpushthelayoutwiderthanthescreenofaphone".repeat(2),
      topics: ["world"],
      breaking: true,
    });
    await page.goto(partner.url);
    const feed = new EmbedFrame(page, "feed");
    await expect(feed.status).toHaveText("Live");
    await expect(feed.feed.getByRole("article").first()).toBeVisible();
    expect(
      await feed.frame
        .locator("html")
        .evaluate((root) => ({ dark: root.dataset.theme, wider: root.scrollWidth > root.clientWidth })),
    ).toEqual({ dark: "dark", wider: false });
    expect(await seriousViolations(page)).toEqual([]);
  } finally {
    html = frontPage;
  }
});

test("a site not in LIVEDESK_FRAME_ANCESTORS cannot show the embed", async ({ browser }) => {
  // The same partner page, served on an origin livedesk does not allow.
  const stranger = await startPartnerSite(() => html);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const refusals: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("frame-ancestors")) refusals.push(message.text());
    });
    await page.goto(stranger.url.replace("localhost", "127.0.0.1"));
    const ticker = new EmbedFrame(page, "ticker");
    await expect(ticker.iframe).toBeVisible();
    await expect.poll(() => refusals.length).toBeGreaterThan(0);
    await expect(ticker.status).toHaveCount(0);
  } finally {
    await context.close();
    await stranger.close();
  }
});

test("a quiet topic's embed shows its items even when they are older than the synced window", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await desk.createTopic("harbour", "Harbour");
  await desk.publish({ headline: "Harbour dredging ends", topics: ["harbour"] });
  // More newer items than a sync answer's window (SYNC_WINDOW, 100) holds, all of other topics.
  for (let i = 1; i <= 110; i++) await desk.publish({ headline: `Wire item ${i}`, topics: ["world"] });
  html = partnerPage(
    `<div data-livedesk="feed" data-topic="harbour"></div><script src="${desk.url}/embed.js" async></script>`,
  );
  try {
    await page.goto(partner.url);
    const feed = new EmbedFrame(page, "feed");
    await expect(feed.headlines()).toHaveText([`Harbour dredging ends${NEW_TAB}`]);
  } finally {
    html = frontPage;
  }
});
