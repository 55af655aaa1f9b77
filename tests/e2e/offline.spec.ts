import type { Page } from "@playwright/test";
import { expect, seriousViolations, test } from "./fixtures";
import { PermalinkPage } from "./pages/permalink";

/*
 * The installed app offline: the service worker (client/public/alerts-sw.js) keeps the dashboard's
 * shell and built files, the dashboard keeps the window it painted, and a page with nothing kept
 * says "You are offline". Offline is Chromium's own (`context.setOffline`).
 */

/** Waits until the service worker controls the page and has kept the dashboard's shell. */
async function keptForOffline(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(async () => (await caches.match("/")) !== undefined)).toBe(true);
}

/** Waits until the dashboard has saved its window with `headline` in it. */
async function windowSaved(page: Page, headline: string): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => window.localStorage.getItem("livedesk:timeline:v1") ?? ""))
    .toContain(headline);
}

test.describe("offline", () => {
  test.use({ viewport: { width: 390, height: 844 }, reducedMotion: "reduce" });

  test("the dashboard opens offline with the news it last showed, and says the reader is offline", async ({
    page,
    context,
    desk,
    dashboard,
  }) => {
    const item = await desk.publish({ headline: "Offline test: harbour reopens", breaking: true });
    await dashboard.open();
    await expect(dashboard.article("Offline test: harbour reopens")).toBeVisible();
    await keptForOffline(page);
    await windowSaved(page, "Offline test: harbour reopens");

    await context.setOffline(true);
    await page.reload();
    await expect(dashboard.article("Offline test: harbour reopens")).toBeVisible();
    await expect(dashboard.connection.getByRole("status")).toContainText("You are offline");
    await expect(dashboard.retryNow).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    // Its permalink was never opened, yet the item is in the kept window: it shows from there.
    await page.goto(`/items/${item.id}`);
    const permalink = new PermalinkPage(page);
    await expect(permalink.heading()).toHaveText("Offline test: harbour reopens");
    await expect(permalink.status).toContainText("You are offline");
    await expect(page.getByRole("alert")).toHaveCount(0);
    await page.getByRole("link", { name: "All news" }).click();

    // Back online, the same page goes live again.
    await context.setOffline(false);
    await expect(dashboard.status).toContainText("Live", { timeout: 15_000 });
  });

  test("a page with nothing kept shows the offline page, with a way back to the news", async ({
    page,
    context,
    dashboard,
  }) => {
    await dashboard.open();
    await keptForOffline(page);

    await context.setOffline(true);
    // The operators' panel is never kept.
    await page.goto("/admin");
    await expect(page.getByRole("heading", { level: 1, name: "You are offline" })).toBeVisible();
    await expect(page).toHaveTitle("You are offline — livedesk");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "open the news" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(dashboard.connection.getByRole("status")).toContainText("You are offline");
  });

  test("online, a navigation gets the server's page, never the kept one, and nothing of /api or /socket.io is kept", async ({
    page,
    desk,
    dashboard,
  }) => {
    await dashboard.open();
    await keptForOffline(page);
    const item = await desk.publish({ headline: "Offline test: published after the shell was kept" });
    // The page as the server paints it before any script runs carries the new headline.
    const answer = await page.reload();
    expect(await answer?.text()).toContain(item.headline);
    await expect(dashboard.status).toContainText("Live");

    const kept = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    expect(kept).toContain("/");
    expect(kept).toContain("/offline.html");
    expect(kept.filter((path) => path.startsWith("/api") || path.startsWith("/socket.io"))).toEqual([]);
  });
});

test.describe("a network that hangs", () => {
  test("a page with nothing kept shows the offline page instead of waiting, and the news comes back with the server", async ({
    page,
    desk,
    dashboard,
  }) => {
    test.setTimeout(90_000);
    await dashboard.open();
    await keptForOffline(page);
    const pid = desk.pid;
    if (pid === undefined) throw new Error("the desk is not running");
    // The server stops answering without refusing anything (SIGSTOP): connections open, no page
    // comes, as on a dead Wi-Fi or behind a captive portal. Chromium alone would wait for minutes.
    process.kill(pid, "SIGSTOP");
    try {
      await page.goto("/admin", { timeout: 30_000 });
      await expect(page.getByRole("heading", { level: 1, name: "You are offline" })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await page.getByRole("link", { name: "open the news" }).click();
    await expect(dashboard.status).toContainText("Live", { timeout: 30_000 });
  });
});
