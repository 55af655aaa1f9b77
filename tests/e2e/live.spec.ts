import type { Page } from "@playwright/test";
import { Desk } from "../helpers/desk";
import { type LoopbackProxy, startProxy } from "../helpers/proxy";
import { expect, seriousViolations, test } from "./fixtures";
import { DashboardPage } from "./pages/dashboard";

/** Publishes enough items to scroll, then opens the dashboard at `url` and scrolls down. */
async function readerScrolledDown(
  page: Page,
  desk: Desk,
  url: string,
  label: string,
): Promise<DashboardPage> {
  for (let i = 0; i < 30; i += 1) await desk.publish({ headline: `${label} item ${i}` });
  const dashboard = new DashboardPage(page);
  await page.goto(url);
  await expect(dashboard.status).toContainText("Live");
  await expect(dashboard.article(`${label} item 29`)).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 1500));
  await expect(dashboard.article(`${label} item 29`)).not.toBeInViewport();
  return dashboard;
}

test.describe("catching up after a reconnect", () => {
  test("items published while the reader was cut off wait behind 'N new items', count in the title and are read out", async ({
    page,
    context,
  }) => {
    test.setTimeout(90_000);
    const desk = await Desk.start();
    try {
      const dashboard = await readerScrolledDown(page, desk, desk.url, "Catch-up");
      const before = await dashboard.stillLooking();
      await dashboard.listen();
      await dashboard.setTabHidden(true);

      await desk.kill();
      await expect(dashboard.status).toContainText("Reconnecting");
      // The reader cannot come back until all three are published: they reach it through the catch-up.
      await context.setOffline(true);
      await desk.restart();
      const headlines = [
        "Catch-up test: bridge closed",
        "Catch-up test: ferry cancelled",
        "Catch-up test: trains resume",
      ];
      for (const headline of headlines) await desk.publish({ headline, breaking: true });
      await context.setOffline(false);
      await expect(dashboard.status).toContainText("Live", { timeout: 15_000 });

      await expect(dashboard.newItems(3)).toBeVisible();
      await expect(page).toHaveTitle("(3) livedesk — live news");
      await expect.poll(() => dashboard.heard()).toContain(`Breaking: ${headlines.join(". ")}.`);
      await expect(dashboard.article("Catch-up test: trains resume")).toHaveCount(0);
      expect(await dashboard.looking()).toEqual(before);

      await dashboard.setTabHidden(false);
      await expect(page).toHaveTitle("livedesk — live news");
      await dashboard.newItems(3).click();
      await expect(dashboard.article("Catch-up test: trains resume")).toBeInViewport();
    } finally {
      await desk.stop();
    }
  });
});

test.describe("the connection state", () => {
  let proxy: LoopbackProxy;
  test.beforeEach(async ({ desk }) => {
    proxy = await startProxy(desk.url);
  });
  test.afterEach(async () => {
    await proxy.stop();
  });

  test("stays on screen for a reader scrolled down on a phone, with 'Retry now' while cut off", async ({
    page,
    desk,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const dashboard = await readerScrolledDown(page, desk, proxy.url, "Phone bar");
    await expect(dashboard.status).toBeInViewport();
    await expect(dashboard.retryNow).toHaveCount(0);

    proxy.cut();
    await expect(dashboard.status).toContainText("Reconnecting");
    await expect(dashboard.status).toBeInViewport();
    await expect(dashboard.retryNow).toBeInViewport();
    expect(await seriousViolations(page)).toEqual([]);
    // Two attempts failed: the next waits a few seconds.
    await expect.poll(() => proxy.upgrades()).toBeGreaterThanOrEqual(3);
    proxy.restore();
    await dashboard.retryNow.focus();
    await page.keyboard.press("Enter");
    await expect(dashboard.status).toContainText("Live", { timeout: 2000 });
    await expect(dashboard.retryNow).toHaveCount(0);
    // The button is gone; the keyboard user's focus is on the state it brought back.
    await expect(dashboard.status).toBeFocused();
    await expect(dashboard.status).toBeInViewport();
  });

  for (const [when, comeBack] of [
    [
      "the tab is shown again",
      async (dashboard: DashboardPage) => {
        await dashboard.setTabHidden(true);
        await dashboard.setTabHidden(false);
      },
    ],
    [
      "the network comes back",
      async (dashboard: DashboardPage) => {
        await dashboard.page.context().setOffline(true);
        await dashboard.page.context().setOffline(false);
      },
    ],
  ] as const) {
    test(`reconnects at once when ${when}, not after its backoff`, async ({ page, dashboard }) => {
      test.setTimeout(60_000);
      await page.goto(proxy.url);
      await expect(dashboard.status).toContainText("Live");
      proxy.cut();
      await expect(dashboard.status).toContainText("Reconnecting");
      // The first connection and three failed attempts: the next one is at least 4 s away.
      await expect.poll(() => proxy.upgrades(), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
      proxy.restore();
      await comeBack(dashboard);
      await expect(dashboard.status).toContainText("Live", { timeout: 2000 });
    });
  }

  test("comes back by itself within 5 s of the server being reachable, however long the outage", async ({
    page,
    dashboard,
  }) => {
    test.setTimeout(90_000);
    await page.goto(proxy.url);
    await expect(dashboard.status).toContainText("Live");
    proxy.cut();
    await expect(dashboard.status).toContainText("Reconnecting");
    // The first connection and four failed attempts: an uncapped backoff would now wait 8 to 24 s.
    await expect.poll(() => proxy.upgrades(), { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
    proxy.restore();
    await expect(dashboard.status).toContainText("Live", { timeout: 7000 });
  });
});

test.describe("behind a proxy that refuses websockets", () => {
  test("falls back to long-polling: the news shows, live updates arrive, and nothing claims there is no news before the first answer", async ({
    page,
    desk,
    dashboard,
  }) => {
    const proxy = await startProxy(desk.url, { refuseUpgrades: true });
    try {
      await desk.publish({ headline: "No-websocket test: already out", breaking: true });
      // The first answer waits until the page has been looked at.
      let answer = () => {};
      const answered = new Promise<void>((resolve) => {
        answer = resolve;
      });
      await page.route(/\/socket\.io\//, async (route) => {
        await answered;
        await route.continue();
      });
      await page.goto(proxy.url);
      await expect(dashboard.ticker).toContainText("Loading the latest news");
      await expect(page.getByText("No breaking news right now")).toHaveCount(0);
      await expect(page.getByText("Nothing published yet")).toHaveCount(0);

      answer();
      await expect(dashboard.status).toContainText("Live");
      await expect(dashboard.article("No-websocket test: already out")).toBeVisible();
      await expect(dashboard.tickerHeadline("No-websocket test: already out")).toBeVisible();
      await desk.publish({ headline: "No-websocket test: arrived live" });
      await expect(dashboard.article("No-websocket test: arrived live")).toBeVisible({ timeout: 2000 });
      expect(proxy.upgrades()).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });
});

test.describe("a reader with a filter", () => {
  test("counts in the title and hears read out only the items the filter shows", async ({
    page,
    desk,
    dashboard,
  }) => {
    await dashboard.open("?topic=sport");
    await dashboard.listen();
    await dashboard.setTabHidden(true);
    await desk.publish({ headline: "Filter test: storm warning", topics: ["weather"], breaking: true });
    // The ticker shows every breaking item: once it is there, the page has taken the item in.
    await expect(dashboard.tickerHeadline("Filter test: storm warning")).toBeAttached();
    await desk.publish({ headline: "Filter test: cup final abandoned", topics: ["sport"], breaking: true });
    await expect(dashboard.tickerHeadline("Filter test: cup final abandoned")).toBeAttached();

    await expect(page).toHaveTitle("(1) livedesk — live news");
    await expect.poll(() => dashboard.heard()).toContain("Breaking: Filter test: cup final abandoned.");
    expect((await dashboard.heard()).join(" ")).not.toContain("storm warning");
  });
});

test.describe("the number of readers", () => {
  test("leaves out operators' panel tabs", async ({ page }) => {
    // A desk of its own: a long-polling reader of another test may linger until its ping times out.
    const desk = await Desk.start();
    try {
      const dashboard = new DashboardPage(page);
      await page.goto(desk.url);
      await expect(dashboard.status).toContainText("Live");
      await expect(dashboard.readers).toHaveText("1 reader");
      const panel = await page.context().newPage();
      await panel.goto(`${desk.url}/admin`);
      await expect(panel.getByRole("button", { name: "Log in" })).toBeVisible();
      const reader = await page.context().newPage();
      await reader.goto(desk.url);
      // The second reader is counted; the panel tab never is.
      await expect(dashboard.readers).toHaveText("2 readers");
      await reader.close();
      await expect(dashboard.readers).toHaveText("1 reader");
      await panel.close();
    } finally {
      await desk.stop();
    }
  });
});

test.describe("protocol 2", () => {
  test("the dashboard asks for it and shows every item of the batches it gets", async ({
    page,
    desk,
    dashboard,
  }) => {
    const sent: string[] = [];
    const received: string[] = [];
    page.on("websocket", (socket) => {
      socket.on("framesent", (frame) => sent.push(String(frame.payload)));
      socket.on("framereceived", (frame) => received.push(String(frame.payload)));
    });
    await dashboard.open();
    // Socket.IO's CONNECT packet carries the handshake's auth: "40{…}".
    const connects = sent.filter((payload) => payload.startsWith("40{"));
    expect(connects.map((payload) => JSON.parse(payload.slice(2)))).toContainEqual(
      expect.objectContaining({ protocol: 2 }),
    );

    const headlines = Array.from({ length: 8 }, (_, i) => `Protocol 2 test: item ${i}`);
    await Promise.all(headlines.map((headline) => desk.publish({ headline })));
    for (const headline of headlines) await expect(dashboard.article(headline)).toBeVisible();
    const live = received.filter((payload) => payload.startsWith('42["timeline:change'));
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((payload) => payload.startsWith('42["timeline:changes",['))).toBe(true);
  });
});
