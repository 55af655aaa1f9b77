import { expect, seriousViolations, test } from "./fixtures";

test.describe("the feeds of the dashboard", () => {
  test("a reader finds the feed links, for everything and for a filtered view, and they follow the filter", async ({
    dashboard,
    desk,
    page,
  }) => {
    await desk.createTopic("feed-rail", "Feed rail");
    await desk.publish({ headline: "Feed links: night trains return", topics: ["feed-rail"] });
    await dashboard.open();
    await expect(dashboard.atomFeed).toHaveAttribute("href", "/feed.atom");
    await expect(dashboard.jsonFeed).toHaveAttribute("href", "/feed.json");
    expect(await dashboard.discoveredFeeds("application/atom+xml")).toEqual(["/feed.atom"]);
    expect(await dashboard.discoveredFeeds("application/feed+json")).toEqual(["/feed.json"]);

    // Choosing a topic points both the links and the head at that topic's feed.
    await dashboard.topic("Feed rail").click();
    await expect(dashboard.atomFeed).toHaveAttribute("href", "/feed.atom?topic=feed-rail");
    await expect(dashboard.jsonFeed).toHaveAttribute("href", "/feed.json?topic=feed-rail");
    await expect
      .poll(() => dashboard.discoveredFeeds("application/atom+xml"))
      .toEqual(["/feed.atom?topic=feed-rail"]);
    await expect
      .poll(() => dashboard.discoveredFeeds("application/feed+json"))
      .toEqual(["/feed.json?topic=feed-rail"]);

    // The link leads to the feed of that view.
    const href = (await dashboard.atomFeed.getAttribute("href")) ?? "";
    const feed = await page.request.get(href);
    expect(feed.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
    expect(await feed.text()).toContain("Feed links: night trains return");
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("the keyboard reaches the feed links right after the search box", async ({ dashboard, page }) => {
    await dashboard.open();
    await dashboard.search.focus();
    await page.keyboard.press("Tab");
    await expect(dashboard.atomFeed).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(dashboard.jsonFeed).toBeFocused();
  });

  test("on a phone the feed links are on screen", async ({ dashboard, page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await dashboard.open();
    await expect(dashboard.atomFeed).toBeInViewport();
    await expect(dashboard.jsonFeed).toBeInViewport();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});

test.describe("before the page's JavaScript runs", () => {
  test.use({ javaScriptEnabled: false });

  test("a filtered view names its own feeds in the head and on the page", async ({ dashboard, page }) => {
    await page.goto("/?topic=world&q=storm");
    await expect(dashboard.atomFeed).toHaveAttribute("href", "/feed.atom?topic=world&q=storm");
    await expect(dashboard.jsonFeed).toHaveAttribute("href", "/feed.json?topic=world&q=storm");
    expect(await dashboard.discoveredFeeds("application/atom+xml")).toEqual([
      "/feed.atom?topic=world&q=storm",
    ]);
    expect(await dashboard.discoveredFeeds("application/feed+json")).toEqual([
      "/feed.json?topic=world&q=storm",
    ]);
  });
});
