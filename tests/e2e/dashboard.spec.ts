import { Desk } from "../helpers/desk";
import { expect, seriousViolations, test } from "./fixtures";
import { DashboardPage } from "./pages/dashboard";

/** The contract's promise: a published item reaches an open page within a second. */
const LIVE = { timeout: 1000 };
/** Makes a headline wider than a desktop window, so that the ticker moves. */
const LONG_TAIL = `: ${"the river rose through the night and the old town was evacuated ".repeat(2).trim()}`;

test.describe("the live dashboard", () => {
  test("shows an item published through the API in the feed and the ticker within a second", async ({
    dashboard,
    desk,
  }) => {
    await dashboard.open();
    await desk.publish({
      headline: "Dam gates opened after record rain",
      breaking: true,
      summary: "Towns downstream are warned.",
    });
    await expect(dashboard.article("Dam gates opened after record rain")).toBeVisible(LIVE);
    await expect(dashboard.tickerHeadline("Dam gates opened after record rain")).toBeVisible(LIVE);
    await desk.publish({ headline: "Library reopens after renovation" });
    await expect(dashboard.article("Library reopens after renovation")).toBeVisible(LIVE);
    await expect(dashboard.tickerHeadline("Library reopens after renovation")).toHaveCount(0);
  });

  test("shows an edit with its correction and a retraction as a tombstone, live", async ({
    dashboard,
    desk,
  }) => {
    await dashboard.open();
    const item = await desk.publish({
      headline: "Mayor to resing on Friday",
      summary: "A statement is expected.",
    });
    const article = dashboard.article("Mayor to resing on Friday");
    await expect(article).toBeVisible(LIVE);

    const edited = await desk.edit(item, {
      headline: "Mayor to resign on Friday",
      correction: "An earlier version misspelt resign.",
    });
    const corrected = dashboard.article("Mayor to resign on Friday");
    await expect(corrected).toContainText("Correction: An earlier version misspelt resign.", LIVE);
    await expect(corrected).toContainText("Updated");

    await desk.retract(edited, "The mayor's office denied the report.");
    await expect(corrected).toContainText("This item was retracted.", LIVE);
    await expect(corrected).toContainText("The mayor's office denied the report.");
    await expect(corrected).not.toContainText("A statement is expected.");
  });

  test("puts a late item in its place by publishedAt", async ({ dashboard, desk }) => {
    await desk.createTopic("late", "Late");
    await dashboard.open("?topic=late");
    await desk.publish({ topics: ["late"], headline: "Late test: first" });
    await desk.publish({ topics: ["late"], headline: "Late test: second" });
    await expect(dashboard.headlines()).toHaveText(["Late test: second", "Late test: first"]);
    await desk.publish({
      topics: ["late"],
      headline: "Late test: filed an hour ago",
      publishedAt: new Date(Date.now() - 3600_000).toISOString(),
    });
    await expect(dashboard.headlines()).toHaveText(
      ["Late test: second", "Late test: first", "Late test: filed an hour ago"],
      LIVE,
    );
  });

  test("narrows the feed by topic, in the URL and across a reload, and filters live arrivals", async ({
    dashboard,
    desk,
    page,
  }) => {
    await desk.publish({ topics: ["sport"], headline: "Filter test: cup final tonight" });
    await desk.publish({ topics: ["politics"], headline: "Filter test: budget vote delayed" });
    await dashboard.open();
    await expect(dashboard.article("Filter test: budget vote delayed")).toBeVisible();

    await dashboard.topic("Sport").click();
    await expect(dashboard.topic("Sport")).toHaveAttribute("aria-pressed", "true");
    await expect(dashboard.topic("All topics")).toHaveAttribute("aria-pressed", "false");
    await expect(page).toHaveURL(/\/\?topic=sport$/);
    await expect(dashboard.article("Filter test: cup final tonight")).toBeVisible();
    await expect(dashboard.article("Filter test: budget vote delayed")).toHaveCount(0);

    await page.reload();
    await expect(dashboard.topic("Sport")).toHaveAttribute("aria-pressed", "true");
    await expect(dashboard.article("Filter test: cup final tonight")).toBeVisible();
    await expect(dashboard.article("Filter test: budget vote delayed")).toHaveCount(0);

    await desk.publish({ topics: ["politics"], headline: "Filter test: live politics" });
    await desk.publish({ topics: ["sport"], headline: "Filter test: live sport" });
    await expect(dashboard.article("Filter test: live sport")).toBeVisible(LIVE);
    await expect(dashboard.article("Filter test: live politics")).toHaveCount(0);

    await dashboard.topic("Politics").click();
    await expect(page).toHaveURL(/\/\?topic=sport&topic=politics$/);
    await expect(dashboard.article("Filter test: live politics")).toBeVisible();
    await dashboard.topic("All topics").click();
    await expect(page).toHaveURL(/\/$/);
    await expect(dashboard.topic("Sport")).toHaveAttribute("aria-pressed", "false");
  });

  test("narrows the feed by search text, also for items older than the live window", async ({
    dashboard,
    desk,
    page,
  }) => {
    await desk.publish({ headline: "Search test: glacier retreats", summary: "Meltwater rises." });
    await desk.publish({ headline: "Search test: harbour strike ends" });
    await dashboard.open();
    await dashboard.search.fill("glacier");
    await expect(page).toHaveURL(/\?q=glacier$/);
    await expect(dashboard.article("Search test: glacier retreats")).toBeVisible();
    await expect(dashboard.article("Search test: harbour strike ends")).toHaveCount(0);
    await dashboard.search.fill("meltw");
    await expect(dashboard.article("Search test: glacier retreats")).toBeVisible();
    await dashboard.search.fill("nothing matches this");
    await expect(dashboard.feed.getByRole("article")).toHaveCount(0);
    await expect(page.getByText("No items match this filter.")).toBeVisible();
  });

  test("pauses the ticker with its button and on hover", async ({ dashboard, desk, page }) => {
    // Long enough not to fit the window: a ticker whose headlines fit stands still, with no button.
    await desk.publish({ headline: `Ticker test: wildfire spreads north${LONG_TAIL}`, breaking: true });
    await dashboard.open();
    const track = page.getByTestId("ticker-track");
    const playState = () =>
      track.evaluate((el) =>
        el
          .getAnimations()
          .map((a) => a.playState)
          .join(),
      );
    await expect.poll(playState).toBe("running");
    await page.getByRole("button", { name: "Pause ticker" }).click();
    await expect.poll(playState).toBe("paused");
    await page.getByRole("button", { name: "Play ticker" }).click();
    await expect.poll(playState).toBe("running");
    await dashboard.ticker.hover();
    await expect.poll(playState).toBe("paused");
  });

  test("keeps the ticker still under reduced motion, headlines readable", async ({
    dashboard,
    desk,
    page,
  }) => {
    await page.emulateMedia({ reducedMotion: "reduce" });
    await desk.publish({ headline: "Motion test: bridge closed", breaking: true });
    await dashboard.open();
    await expect(dashboard.tickerHeadline("Motion test: bridge closed")).toBeVisible();
    const animations = await page.getByTestId("ticker-track").evaluate((el) => el.getAnimations().length);
    expect(animations).toBe(0);
  });

  test("opens an item's permalink from its headline, with the revision history", async ({
    dashboard,
    desk,
    page,
  }) => {
    const item = await desk.publish({
      headline: "Permalink test: ferry delayed",
      summary: "Fog in the strait.",
    });
    await desk.edit(item, {
      summary: "Fog in the strait; sailings resume at noon.",
      correction: "Sailing time added.",
    });
    await dashboard.open();
    await dashboard
      .article("Permalink test: ferry delayed")
      .getByRole("link", { name: "Permalink test: ferry delayed" })
      .click();
    await expect(page).toHaveURL(`/items/${item.id}`);
    await expect(
      page.getByRole("heading", { level: 1, name: "Permalink test: ferry delayed" }),
    ).toBeVisible();
    const history = page.getByRole("region", { name: "Revision history" });
    await expect(history.getByRole("listitem").filter({ hasText: "Version" })).toHaveCount(2);
    await expect(history).toContainText("Correction: Sailing time added.");
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("shows a 'new items' button instead of moving the feed while the reader is scrolled down", async ({
    dashboard,
    desk,
    page,
  }) => {
    await desk.createTopic("scroll", "Scroll");
    for (let i = 0; i < 40; i += 1) {
      await desk.publish({ topics: ["scroll"], headline: `Scroll test item ${i}` });
    }
    await dashboard.open("?topic=scroll");
    await expect(dashboard.article("Scroll test item 39")).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, 1200));
    await expect(dashboard.article("Scroll test item 39")).not.toBeInViewport();
    // What the reader is looking at: the first article wholly on screen, and where it stands.
    const looking = () =>
      page.evaluate(() => {
        const articles = [...document.querySelectorAll("[role=feed] article")];
        const article = articles.find((a) => a.getBoundingClientRect().top >= 0);
        return {
          headline: article?.querySelector("h2")?.textContent,
          top: Math.round(article?.getBoundingClientRect().top ?? -1),
        };
      });
    // Wait until the feed has measured what it rendered and stands still.
    let before = await looking();
    await expect
      .poll(async () => {
        const now = await looking();
        const still =
          now.headline !== undefined && now.headline === before.headline && now.top === before.top;
        before = now;
        return still;
      })
      .toBe(true);

    await desk.publish({ topics: ["scroll"], headline: "Scroll test: arrived while away" });
    const button = page.getByRole("button", { name: "1 new item" });
    await expect(button).toBeVisible(LIVE);
    await expect(dashboard.article("Scroll test: arrived while away")).toHaveCount(0);
    expect(await looking()).toEqual(before);

    await button.click();
    await expect(dashboard.article("Scroll test: arrived while away")).toBeInViewport();
  });

  test("fits a 390 px phone screen without horizontal scrolling", async ({ dashboard, desk, page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await desk.publish({
      headline: "Phone test: Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch council meets",
      summary:
        "See https://example.org/a/very/long/path/that/does/not/break/anywhere/at/all/because/it/has/no/spaces",
      url: "https://example.org/a/very/long/path/that/does/not/break/anywhere/at/all",
      breaking: true,
      source: "Regional wire",
    });
    await dashboard.open();
    await expect(dashboard.article(/Phone test/)).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test("has no serious or critical accessibility violations, in light and dark", async ({
    dashboard,
    desk,
    page,
  }) => {
    await desk.publish({ headline: "Axe test: pinned notice", pinned: true, source: "Desk" });
    await desk.publish({ headline: "Axe test: breaking", breaking: true, url: "https://example.org/" });
    await dashboard.open();
    await expect(dashboard.article("Axe test: breaking")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("reaches every control with the keyboard, with a visible focus", async ({ dashboard, desk, page }) => {
    await desk.publish({ headline: `Keyboard test item${LONG_TAIL}`, breaking: true });
    await dashboard.open();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to the news feed" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Pause ticker" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name: "Play ticker" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("combobox", { name: "Ticker speed" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(dashboard.tickerHeadline(`Keyboard test item${LONG_TAIL}`)).toBeFocused();
    const outline = await page.evaluate(() => {
      const focused = document.activeElement;
      return focused === null ? "none" : getComputedStyle(focused).outlineStyle;
    });
    expect(outline).not.toBe("none");
  });
});

test.describe("while the reader is not looking", () => {
  test("a screen reader hears new breaking items, and only breaking ones", async ({
    dashboard,
    desk,
    page,
  }) => {
    await dashboard.open();
    await desk.publish({ headline: "Announce test: routine item" });
    await desk.publish({ headline: "Announce test: dam breaks upstream", breaking: true });
    const announcements = page.getByRole("log", { name: "Announcements" });
    await expect(announcements).toHaveText("Breaking: Announce test: dam breaks upstream.", {
      timeout: 7000,
    });
  });

  test("counts new items in the title while the tab is hidden", async ({ dashboard, desk, page }) => {
    await dashboard.open();
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await desk.publish({ headline: "Title test: one" });
    await desk.publish({ headline: "Title test: two" });
    await expect(page).toHaveTitle("(2) livedesk — live news");
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await expect(page).toHaveTitle("livedesk — live news");
  });
});

test.describe("a reload", () => {
  test("paints the last window at once from the browser's copy, before the connection is up", async ({
    dashboard,
    desk,
    page,
  }) => {
    await desk.publish({ headline: "Reload test: kept in the browser" });
    await dashboard.open();
    await expect(dashboard.article("Reload test: kept in the browser")).toBeVisible();
    // The window is saved a moment after the last change; wait until it is there.
    await expect
      .poll(() =>
        page.evaluate(
          () => window.localStorage.getItem("livedesk:timeline:v1")?.includes("Reload test") ?? false,
        ),
      )
      .toBe(true);
    // The websocket now goes nowhere: whatever the page shows after the reload comes from the browser.
    await page.routeWebSocket(/socket\.io/, () => {});
    await page.reload();
    await expect(dashboard.article("Reload test: kept in the browser")).toBeVisible();
    await expect(dashboard.status).toContainText("Connecting");
  });
});

test.describe("a server that goes away", () => {
  test("shows the connection state change and catches up without a reload", async ({ page }) => {
    const desk = await Desk.start();
    try {
      const dashboard = new DashboardPage(page);
      await page.goto(desk.url);
      await expect(dashboard.status).toContainText("Live");
      await desk.publish({ headline: "Restart test: before the crash" });
      await expect(dashboard.article("Restart test: before the crash")).toBeVisible();

      await desk.kill();
      await expect(dashboard.status).toContainText("Reconnecting");
      await desk.restart();
      const during = await desk.publish({ headline: "Restart test: published while readers were away" });
      await expect(dashboard.status).toContainText("Live", { timeout: 15_000 });
      await expect(dashboard.article(during.headline)).toBeVisible();
      await desk.publish({ headline: "Restart test: after the reconnect" });
      await expect(dashboard.article("Restart test: after the reconnect")).toBeVisible(LIVE);
      await expect(dashboard.article("Restart test: before the crash")).toHaveCount(1);
    } finally {
      await desk.stop();
    }
  });
});
