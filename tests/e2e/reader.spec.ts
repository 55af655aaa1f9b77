import type { Locator, Page } from "@playwright/test";
import { DESK_ADMIN_PASSWORD, Desk } from "../helpers/desk";
import { startProxy } from "../helpers/proxy";
import { everyViolation, expect, seriousViolations, test } from "./fixtures";
import { AdminPage } from "./pages/admin";
import { DashboardPage } from "./pages/dashboard";
import { PermalinkPage } from "./pages/permalink";

/**
 * 50 topics, made once per livedesk (each worker's): topics cannot be deleted, and every page of
 * that livedesk lists them, so each test making its own would push the feed down for the rest.
 */
const fiftyTopicsOf = new WeakMap<Desk, Promise<{ slugs: string[]; names: string[] }>>();
function fiftyTopics(desk: Desk): Promise<{ slugs: string[]; names: string[] }> {
  let made = fiftyTopicsOf.get(desk);
  if (made === undefined) {
    made = (async () => {
      const run = Date.now().toString(36);
      const slugs: string[] = [];
      const names: string[] = [];
      for (let i = 0; i < 50; i += 1) {
        slugs.push(`many-${run}-${i}`);
        names.push(`Topic ${run} ${i}`);
        await desk.createTopic(`many-${run}-${i}`, `Topic ${run} ${i}`);
      }
      return { slugs, names };
    })();
    fiftyTopicsOf.set(desk, made);
  }
  return made;
}

test.describe("before the page's JavaScript runs", () => {
  test.use({ javaScriptEnabled: false });

  test("the dashboard shows the latest headlines, escaped, as links to their pages", async ({
    desk,
    page,
  }) => {
    const item = await desk.publish({ headline: "First paint: harbour reopens <b>today</b> & more" });
    await page.goto("/");
    const link = page.getByRole("link", { name: "First paint: harbour reopens <b>today</b> & more" });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute("href", `/items/${item.id}`);
    await expect(page).toHaveTitle("livedesk — live news");
  });

  test("a permalink shows its headline, summary, title and Open Graph tags for a shared link", async ({
    desk,
    page,
  }) => {
    const item = await desk.publish({
      headline: "First paint: tram line 4 extended",
      summary: "Six new stops open in May, the council said.",
    });
    const response = await page.goto(`/items/${item.id}`);
    expect(response?.status()).toBe(200);
    await expect(
      page.getByRole("heading", { level: 1, name: "First paint: tram line 4 extended" }),
    ).toBeVisible();
    await expect(page.getByText("Six new stops open in May, the council said.")).toBeVisible();
    await expect(page).toHaveTitle("First paint: tram line 4 extended — livedesk");
    const meta = (selector: string) => page.locator(selector).getAttribute("content");
    expect(await meta('meta[name="description"]')).toBe("Six new stops open in May, the council said.");
    expect(await meta('meta[property="og:title"]')).toBe("First paint: tram line 4 extended — livedesk");
    expect(await meta('meta[property="og:description"]')).toBe(
      "Six new stops open in May, the council said.",
    );
    expect(await meta('meta[property="og:url"]')).toBe(`${desk.url}/items/${item.id}`);
    expect(await meta('meta[property="og:type"]')).toBe("article");
  });

  test("an edited item's permalink says when it was updated", async ({ desk, page }) => {
    const item = await desk.publish({ headline: "First paint: an edited item", summary: "First words." });
    const edited = await desk.edit(item, { summary: "Better words." });
    await page.goto(`/items/${item.id}`);
    const article = page.getByRole("article", { name: "First paint: an edited item" });
    await expect(article.getByText("Better words.")).toBeVisible();
    const at = (edited.contentUpdatedAt ?? "").slice(0, 16).replace("T", " ");
    await expect(article.getByText(`Updated ${at} UTC`)).toBeVisible();
  });

  test("a permalink never pinned nor edited says nothing of updates", async ({ desk, page }) => {
    const item = await desk.publish({ headline: "First paint: as first published" });
    await desk.edit(item, { pinned: true });
    await page.goto(`/items/${item.id}`);
    await expect(
      page.getByRole("heading", { level: 1, name: "First paint: as first published" }),
    ).toBeVisible();
    await expect(page.getByText(/Updated/)).toHaveCount(0);
  });

  test("a retracted item's permalink shows only its tombstone", async ({ desk, page }) => {
    const item = await desk.publish({
      headline: "First paint: minister resigns",
      summary: "An unverified claim about the minister.",
    });
    await desk.retract(item, "The report was wrong.");
    await page.goto(`/items/${item.id}`);
    await expect(
      page.getByRole("heading", { level: 1, name: "First paint: minister resigns" }),
    ).toBeVisible();
    await expect(page.getByText("This item was retracted.")).toBeVisible();
    await expect(page.getByText("The report was wrong.")).toBeVisible();
    expect(await page.content()).not.toContain("An unverified claim");
  });
});

test.describe("an address nobody serves", () => {
  test("answers 404 with a page that leads home, on the server and in the app", async ({ page }) => {
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(page).toHaveTitle("Page not found — livedesk");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Go to the latest news" }).click();
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("feed", { name: "News feed" })).toBeVisible();

    const unknownItem = await page.goto("/items/no-such-item");
    expect(unknownItem?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "No item has this address." })).toBeVisible();
  });

  test("an unknown panel screen says so instead of an empty panel", async ({ page }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    const response = await page.goto("/admin/nope");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await page.getByRole("link", { name: "Go to the desk" }).click();
    await expect(page).toHaveURL(/\/admin\/?$/);
    await expect(page.getByRole("region", { name: "New item" })).toBeVisible();
    for (const screen of ["/admin", "/admin/", "/admin/topics", "/admin/audit"])
      expect((await page.goto(screen))?.status(), screen).toBe(200);
  });
});

/** Headlines long enough that four of them overflow any screen, so the ticker moves. */
async function publishLongBreaking(desk: Desk, label: string): Promise<string[]> {
  const headlines: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    const headline = `${label} ${i}: ${"storm warning extended along the whole northern coast and the islands ".repeat(2).trim()}`;
    await desk.publish({ headline, breaking: true });
    headlines.push(headline);
  }
  return headlines;
}

/** How fast the ticker's headlines move, in pixels per second, from two looks at its animation. */
async function tickerSpeed(page: Page): Promise<number> {
  const track = page.getByTestId("ticker-track");
  const look = () =>
    track.evaluate((el) => {
      const animation = el.getAnimations()[0];
      return {
        time: Number(animation?.currentTime ?? 0),
        x: new DOMMatrix(getComputedStyle(el).transform).m41,
      };
    });
  const first = await look();
  let second = first;
  await expect
    .poll(async () => {
      second = await look();
      return second.time - first.time;
    })
    .toBeGreaterThan(1000);
  return Math.abs(second.x - first.x) / ((second.time - first.time) / 1000);
}

test.describe("the ticker", () => {
  test("moves at a constant readable speed whatever the headlines' length, and the reader can slow it", async ({
    dashboard,
    desk,
    page,
  }) => {
    await publishLongBreaking(desk, "Speed test");
    await dashboard.open();
    await expect(page.getByRole("button", { name: "Pause ticker" })).toBeVisible();
    const speed = await tickerSpeed(page);
    expect(speed).toBeGreaterThanOrEqual(60);
    expect(speed).toBeLessThanOrEqual(90);
    await page.getByRole("combobox", { name: "Ticker speed" }).selectOption("Slow");
    expect(await tickerSpeed(page)).toBeLessThan(speed - 10);
    await page.reload();
    await expect(page.getByRole("combobox", { name: "Ticker speed" })).toHaveValue("slow");
  });

  test("shows a headline whole when the keyboard reaches it", async ({ dashboard, desk, page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const headlines = await publishLongBreaking(desk, "Focus test");
    await dashboard.open();
    await expect(page.getByRole("button", { name: "Pause ticker" })).toBeVisible();
    await page.getByRole("combobox", { name: "Ticker speed" }).focus();
    for (const headline of [...headlines].reverse()) {
      await page.keyboard.press("Tab");
      const link = dashboard.tickerHeadline(headline);
      await expect(link).toBeFocused();
      const box = await link.boundingBox();
      const window = await dashboard.ticker.boundingBox();
      expect(box).not.toBeNull();
      expect(window).not.toBeNull();
      if (box === null || window === null) return;
      expect(box.x).toBeGreaterThanOrEqual(window.x);
      expect(box.x + box.width).toBeLessThanOrEqual(window.x + window.width + 1);
      expect(box.y).toBeGreaterThanOrEqual(window.y);
      expect(box.y + box.height).toBeLessThanOrEqual(window.y + window.height + 1);
    }
  });

  test("offers a pause button only when something moves", async ({ page }) => {
    const desk = await Desk.start();
    try {
      const dashboard = new DashboardPage(page);
      await page.goto(desk.url);
      await desk.publish({ headline: "Still test: one short headline", breaking: true });
      await expect(dashboard.tickerHeadline("Still test: one short headline")).toBeVisible();
      await expect(page.getByRole("button", { name: "Pause ticker" })).toHaveCount(0);
      await publishLongBreaking(desk, "Still test");
      await expect(page.getByRole("button", { name: "Pause ticker" })).toBeVisible();
      await page.emulateMedia({ reducedMotion: "reduce" });
      await expect(page.getByRole("button", { name: "Pause ticker" })).toHaveCount(0);
      await expect(page.getByRole("combobox", { name: "Ticker speed" })).toHaveCount(0);
    } finally {
      await desk.stop();
    }
  });
});

test.describe("every reader's page", () => {
  for (const viewport of [
    { name: "desktop", width: 1280, height: 800 },
    { name: "phone", width: 390, height: 844 },
  ]) {
    test(`has no accessibility violations at all on the ${viewport.name}: dashboard with the ticker, permalink, 404`, async ({
      dashboard,
      desk,
      page,
    }) => {
      await page.setViewportSize(viewport);
      await publishLongBreaking(desk, "Axe test");
      const item = await desk.publish({ headline: "Axe test: a permalink", summary: "Its summary." });
      await dashboard.open();
      await expect(page.getByRole("button", { name: "Pause ticker" })).toBeVisible();
      expect(await everyViolation(page)).toEqual([]);
      await page.goto(`/items/${item.id}`);
      await expect(page.getByRole("region", { name: "Revision history" })).toBeVisible();
      expect(await everyViolation(page)).toEqual([]);
      await page.goto("/nowhere");
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      expect(await everyViolation(page)).toEqual([]);
    });
  }
});

test.describe("on a phone", () => {
  test("50 topics leave the feed on the first screen, and every topic is reachable", async ({
    dashboard,
    desk,
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const { names } = await fiftyTopics(desk);
    await desk.publish({ headline: "Many topics: the feed is still in sight" });
    await dashboard.open();
    const last = dashboard.topic(names[49] ?? "");
    await expect(last).toHaveCount(1);
    await expect(dashboard.article("Many topics: the feed is still in sight")).toBeInViewport();
    // A screen reader finds every topic in the group; the keyboard reaches the last and shows it.
    expect(await dashboard.topics.getByRole("button").count()).toBeGreaterThanOrEqual(51);
    await dashboard.topic("All topics").focus();
    for (let i = 0; i < 80 && !(await last.evaluate((el) => el === document.activeElement)); i += 1) {
      await page.keyboard.press("Tab");
    }
    await expect(last).toBeFocused();
    await expect(last).toBeInViewport();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test("on a desktop with fifty topics the feed starts on the first screen, and a page opened on the last topic shows it chosen", async ({
    dashboard,
    desk,
  }) => {
    const { slugs, names } = await fiftyTopics(desk);
    const headline = "Many topics on a desktop: the feed in sight";
    await desk.publish({ headline, topics: [slugs[49] ?? ""] });
    await dashboard.open(`?topic=${slugs[49]}`);
    await expect(dashboard.article(headline)).toBeInViewport();
    const last = dashboard.topic(names[49] ?? "");
    await expect(last).toHaveAttribute("aria-pressed", "true");
    await expect(last).toBeInViewport();
    await expect(dashboard.topic("All topics")).not.toBeInViewport();
  });
});

test.describe("a permalink's connection", () => {
  test("shows the connection bar, with 'Retry now' while cut off and Live again after", async ({
    desk,
    page,
  }) => {
    test.setTimeout(60_000);
    const proxy = await startProxy(desk.url);
    try {
      const item = await desk.publish({ headline: "Permalink connection: a story to follow" });
      const permalink = new PermalinkPage(page);
      await page.goto(`${proxy.url}/items/${item.id}`);
      await expect(permalink.heading()).toHaveText("Permalink connection: a story to follow");
      await expect(permalink.status).toContainText("Live");
      proxy.cut();
      await expect(permalink.status).toContainText("Reconnecting");
      await expect(permalink.connection.getByRole("button", { name: "Retry now" })).toBeVisible();
      proxy.restore();
      await permalink.connection.getByRole("button", { name: "Retry now" }).click();
      await expect(permalink.status).toContainText("Live", { timeout: 10_000 });
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });
});

test.describe("the feed's slide-in", () => {
  /**
   * Over the next `ms`, how far any article of the feed stands from the place the feed gives it
   * (its row's offset in the list), in pixels: what a reader sees as a row flying about.
   */
  function strayDuring(page: Page, ms: number): Promise<number> {
    return page.evaluate(async (duration) => {
      let stray = 0;
      const look = () => {
        const feed = document.querySelector("[role=feed]");
        if (feed === null) return;
        const feedTop = feed.getBoundingClientRect().top;
        for (const article of feed.querySelectorAll<HTMLElement>("article")) {
          const place = new DOMMatrix(article.style.transform).m42;
          stray = Math.max(stray, Math.abs(article.getBoundingClientRect().top - feedTop - place));
        }
      };
      const end = performance.now() + duration;
      while (performance.now() < end) {
        look();
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return stray;
    }, ms);
  }

  test("rows of items published seconds ago stay in their place as the reader scrolls to them", async ({
    dashboard,
    desk,
    page,
  }) => {
    await desk.createTopic("slide", "Slide");
    for (let i = 0; i < 30; i += 1)
      await desk.publish({ topics: ["slide"], headline: `Slide test item ${i}` });
    await dashboard.open("?topic=slide");
    await expect(dashboard.article("Slide test item 29")).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, 1500));
    // The rows the virtualiser mounts for the new screen: none flies in from the top of the feed.
    expect(await strayDuring(page, 600)).toBeLessThanOrEqual(1);
  });

  test("a new item at the top slides in, but not under reduced motion", async ({ dashboard, desk, page }) => {
    await dashboard.open();
    // Which articles started an animation: caught as it starts, however busy the machine.
    await page.evaluate(() => {
      const started: string[] = [];
      Object.assign(window, { livedeskSlid: started });
      document.addEventListener("animationstart", (event) => {
        if (event.target instanceof HTMLElement && event.target.matches("[role=feed] article"))
          started.push(event.target.querySelector("h2")?.textContent ?? "");
      });
    });
    const slid = () => page.evaluate(() => [...(Reflect.get(window, "livedeskSlid") ?? [])].map(String));
    await desk.publish({ headline: "Slide-in: with motion" });
    await expect(dashboard.article("Slide-in: with motion")).toBeVisible();
    await expect.poll(slid).toContain("Slide-in: with motion");

    await page.emulateMedia({ reducedMotion: "reduce" });
    await desk.publish({ headline: "Slide-in: reduced motion" });
    await expect(dashboard.article("Slide-in: reduced motion")).toBeVisible();
    expect(await slid()).not.toContain("Slide-in: reduced motion");
  });
});

test.describe("the topic filter's limit", () => {
  /** The 50 topics, and an item of this test on the first of them. */
  async function fiftyTopicsAndAnItem(
    desk: Desk,
  ): Promise<{ slugs: string[]; names: string[]; headline: string }> {
    const { slugs, names } = await fiftyTopics(desk);
    const headline = `Topic limit ${Date.now().toString(36)}: the feed still loads`;
    await desk.publish({ headline, topics: [slugs[0]] });
    return { slugs, names, headline };
  }

  test("on a phone with 50 topics, 20 can be chosen, the rest are disabled and a message names the limit", async ({
    dashboard,
    desk,
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const { names, headline } = await fiftyTopicsAndAnItem(desk);
    await dashboard.open();
    for (const name of names.slice(0, 20)) await dashboard.topic(name).click();
    await expect(dashboard.topic(names[19] ?? "")).toHaveAttribute("aria-pressed", "true");
    await expect(dashboard.topic(names[20] ?? "")).toBeDisabled();
    await expect(dashboard.topic(names[49] ?? "")).toBeDisabled();
    await expect(page.getByText("20 topics chosen, the most a filter holds")).toBeVisible();
    await expect(dashboard.article(headline)).toBeVisible();
    await expect(page.getByText("Older items could not be loaded.")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Try again" })).toHaveCount(0);
    // One fewer, and every topic can be chosen again.
    await dashboard.topic(names[0] ?? "").click();
    await expect(dashboard.topic(names[20] ?? "")).toBeEnabled();
    await expect(page.getByText("20 topics chosen, the most a filter holds")).toHaveCount(0);
  });

  test("an address naming 25 topics loads the feed with the first 20 and says so", async ({
    dashboard,
    desk,
    page,
    browser,
  }) => {
    const { slugs, names, headline } = await fiftyTopicsAndAnItem(desk);
    const elsewhere = await desk.publish({ headline: `${headline}, but on another topic` });
    const query = `?${slugs
      .slice(0, 25)
      .map((slug) => `topic=${slug}`)
      .join("&")}`;
    // The first paint, before any script, shows the same 20 topics' news.
    const noScript = await browser.newContext({ baseURL: desk.url, javaScriptEnabled: false });
    try {
      const firstPaint = await noScript.newPage();
      await firstPaint.goto(`/${query}`);
      await expect(firstPaint.getByRole("link", { name: headline, exact: true })).toBeVisible();
      await expect(firstPaint.getByRole("link", { name: elsewhere.headline })).toHaveCount(0);
    } finally {
      await noScript.close();
    }
    await dashboard.open(query);
    await expect(
      page.getByText("The address named 25 topics; a filter holds at most 20, so the first 20 are shown."),
    ).toBeVisible();
    await expect(dashboard.article(headline)).toBeVisible();
    await expect(dashboard.topic(names[19] ?? "")).toHaveAttribute("aria-pressed", "true");
    await expect(dashboard.topic(names[20] ?? "")).toHaveAttribute("aria-pressed", "false");
    await expect(dashboard.topic(names[20] ?? "")).toBeDisabled();
    await expect(page.getByText("Older items could not be loaded.")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Try again" })).toHaveCount(0);
    expect(new URL(page.url()).searchParams.getAll("topic")).toEqual(slugs.slice(0, 20));
  });
});

test.describe("right-to-left text", () => {
  test("reads right to left wherever it is shown: feed, ticker, permalink and panel", async ({
    dashboard,
    desk,
    page,
  }) => {
    const headline = "الميزانية الجديدة تمر في البرلمان!";
    const summary = "صوّت النواب مساء الثلاثاء.";
    const item = await desk.publish({ headline, summary, breaking: true, source: "وكالة الأنباء" });
    await desk.edit(item, { correction: "تم تصحيح التاريخ." });
    const direction = (locator: Locator) =>
      locator.evaluate((el) => (el.matches(":dir(rtl)") ? "rtl" : "ltr"));

    await dashboard.open();
    const article = dashboard.article(headline);
    expect(await direction(article.getByRole("heading", { name: headline }))).toBe("rtl");
    expect(await direction(article.getByText(summary))).toBe("rtl");
    expect(await direction(article.getByText("تم تصحيح التاريخ."))).toBe("rtl");
    expect(await direction(article.getByText("وكالة الأنباء"))).toBe("rtl");
    expect(await direction(dashboard.tickerHeadline(headline))).toBe("rtl");

    await page.goto(`/items/${item.id}`);
    expect(await direction(page.getByRole("heading", { level: 1, name: headline }))).toBe("rtl");
    expect(await direction(page.getByText(summary))).toBe("rtl");

    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    expect(await direction(admin.row(headline).getByText(headline, { exact: true }))).toBe("rtl");
  });

  test("search finds a word with or without the Arabic article, and an emoji only where it is", async ({
    dashboard,
    desk,
    page,
  }) => {
    await desk.publish({ headline: "الميزانية الجديدة للمدينة", summary: "" });
    await desk.publish({ headline: "Search test: wildfire 🔥 spreads", summary: "" });
    await desk.publish({ headline: "Search test: council meets", summary: "" });
    await dashboard.open();
    // The live window (the dashboard's own filter) and the server's search answer alike.
    await dashboard.search.fill("ميزانية");
    await expect(dashboard.article("الميزانية الجديدة للمدينة")).toBeVisible();
    await expect(dashboard.article("Search test: council meets")).toHaveCount(0);
    const answer = await page.request.get(`/api/items?q=${encodeURIComponent("ميزانية")}`);
    const found = JSON.stringify(await answer.json());
    expect(found).toContain("الميزانية الجديدة للمدينة");
    expect(found).not.toContain("Search test: council meets");

    await dashboard.search.fill("🔥");
    await expect(dashboard.article("Search test: wildfire 🔥 spreads")).toBeVisible();
    await expect(dashboard.article("Search test: council meets")).toHaveCount(0);
    await dashboard.search.fill("😀");
    await expect(dashboard.feed.getByRole("article")).toHaveCount(0);
    await expect(page.getByText("No items match this filter.")).toBeVisible();
  });
});

test.describe("reading the feed", () => {
  test("coming back from a permalink puts the feed where the reader left it", async ({
    dashboard,
    desk,
    page,
  }) => {
    await desk.createTopic("back", "Back");
    for (let i = 0; i < 40; i += 1) {
      await desk.publish({
        topics: ["back"],
        headline: `Back test item ${i}`,
        summary: "A summary long enough to wrap on a narrow screen. ".repeat((i % 4) + 1),
      });
    }
    await dashboard.open("?topic=back");
    await expect(dashboard.article("Back test item 39")).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, 2000));
    // The first article wholly on screen, once the feed stands still.
    const looking = () =>
      page.evaluate(() => {
        const articles = [...document.querySelectorAll("[role=feed] article")];
        const article = articles.find((a) => a.getBoundingClientRect().top >= 0);
        return {
          headline: article?.querySelector("h2")?.textContent ?? "",
          top: Math.round(article?.getBoundingClientRect().top ?? -1),
        };
      });
    let before = await looking();
    await expect
      .poll(async () => {
        const now = await looking();
        const still = now.headline !== "" && now.headline === before.headline && now.top === before.top;
        before = now;
        return still;
      })
      .toBe(true);

    await dashboard.article(before.headline).getByRole("link", { name: before.headline }).click();
    await expect(page.getByRole("heading", { level: 1, name: before.headline })).toBeVisible();
    await page.goBack();
    await expect(dashboard.article(before.headline)).toBeInViewport();
    // The same article at the top, where it stood (give or take a pixel of rounding).
    await expect
      .poll(async () => {
        const now = await looking();
        return now.headline === before.headline && Math.abs(now.top - before.top) <= 2;
      })
      .toBe(true);
  });

  test("a reload puts the feed where the reader was, though the news moved on meanwhile", async ({
    dashboard,
    desk,
    page,
  }) => {
    await desk.createTopic("reload", "Reload");
    for (let i = 0; i < 40; i += 1) {
      await desk.publish({
        topics: ["reload"],
        headline: `Reload test item ${i}`,
        summary: "A summary long enough to wrap on a narrow screen. ".repeat((i % 4) + 1),
      });
    }
    await dashboard.open("?topic=reload");
    await expect(dashboard.article("Reload test item 39")).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, 2000));
    const before = await dashboard.stillLooking();
    expect(before.headline).toMatch(/^Reload test item/);

    await desk.publish({ topics: ["reload"], headline: "Reload test: published meanwhile" });
    await page.reload();
    await expect(dashboard.status).toContainText("Live");
    await expect(dashboard.article(before.headline ?? "")).toBeInViewport();
    // The same article where it stood (give or take a pixel of rounding); the news above it waits.
    await expect
      .poll(async () => {
        const now = await dashboard.looking();
        return now.headline === before.headline && Math.abs(now.top - before.top) <= 2;
      })
      .toBe(true);
    await expect(dashboard.article("Reload test item 39")).not.toBeInViewport();
  });

  test("a reader who left the feed scrolled down comes back to it there, the news since then behind the button", async ({
    dashboard,
    desk,
    page,
  }) => {
    // A desk with many topics: on a desktop its feed starts below the first screen.
    await fiftyTopics(desk);
    await desk.createTopic("left-the-feed", "Left the feed");
    for (let i = 0; i < 40; i += 1) {
      await desk.publish({
        topics: ["left-the-feed"],
        headline: `Return test item ${i}`,
        summary: "A short summary.",
      });
    }
    await dashboard.open("?topic=left-the-feed");
    await expect(dashboard.article("Return test item 39")).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, 2000));
    const before = await dashboard.stillLooking();
    expect(before.headline).toMatch(/^Return test item/);

    // Away on another site while the news moves on: the browser's copy of the feed lacks it.
    await page.goto("about:blank");
    await desk.publish({ topics: ["left-the-feed"], headline: "Return test: published while away" });
    await page.goBack();
    await expect(dashboard.status).toContainText("Live");
    await expect(dashboard.newItems(1)).toBeVisible();
    await expect
      .poll(async () => {
        const now = await dashboard.looking();
        return now.headline === before.headline && Math.abs(now.top - before.top) <= 2;
      })
      .toBe(true);

    await dashboard.newItems(1).click();
    await expect(dashboard.article("Return test: published while away")).toBeInViewport();
  });

  test("clamps a very long summary on a phone, with a Show more button that says whether it is open", async ({
    dashboard,
    desk,
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const summary = `Start of the long summary. ${"The committee heard evidence for six hours. ".repeat(88)}End of the summary.`;
    await desk.publish({ headline: "Clamp test: the long hearing", summary: summary.slice(0, 4000) });
    await desk.publish({ headline: "Clamp test: a short one", summary: "Two lines at most." });
    await dashboard.open();
    const article = dashboard.article("Clamp test: the long hearing");
    await expect(article).toBeVisible();
    const height = async () => (await article.boundingBox())?.height ?? 0;
    expect(await height()).toBeLessThan(844 / 2);
    const more = article.getByRole("button", { name: "Show more" });
    await expect(more).toHaveAttribute("aria-expanded", "false");
    await expect(
      dashboard.article("Clamp test: a short one").getByRole("button", { name: "Show more" }),
    ).toHaveCount(0);
    await more.click();
    const less = article.getByRole("button", { name: "Show less" });
    await expect(less).toHaveAttribute("aria-expanded", "true");
    await expect(article.getByText("End of the summary.")).toBeVisible();
    expect(await height()).toBeGreaterThan(844);
    await less.click();
    await expect(article.getByRole("button", { name: "Show more" })).toBeFocused();
  });
});

test.describe("the Updated mark", () => {
  // A zone far from UTC with a 45-minute offset: the mark must be in the reader's own time.
  test.use({ timezoneId: "Asia/Kathmandu", locale: "en-GB" });

  test("appears for a content change with its time, never for a pin", async ({ dashboard, desk, page }) => {
    const item = await desk.publish({ headline: "Mark test: bridge inspection", summary: "Under way." });
    await dashboard.open();
    const article = dashboard.article("Mark test: bridge inspection");
    await expect(article).toBeVisible();
    const pinned = await desk.edit(item, { pinned: true });
    await expect(
      page
        .getByRole("region", { name: "Pinned" })
        .getByRole("article", { name: "Mark test: bridge inspection" }),
    ).toBeVisible();
    await expect(page.getByRole("article", { name: "Mark test: bridge inspection" })).not.toContainText(
      "Updated",
    );
    const unpinned = await desk.edit(pinned, { pinned: false });
    await expect(article).toBeVisible();
    await expect(article).not.toContainText("Updated");

    const edited = await desk.edit(unpinned, { summary: "Finished; the bridge reopens at six." });
    await expect(article).toContainText("Finished; the bridge reopens at six.");
    const at = edited.contentUpdatedAt ?? "";
    const hhmm = new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "Asia/Kathmandu",
    }).format(new Date(at));
    await expect(article).toContainText(`Updated ${hhmm}`);
    await expect(article.locator(`time[datetime="${at}"]`)).toHaveText(hhmm);

    await page.goto(`/items/${item.id}`);
    await expect(page.getByRole("article")).toContainText(`Updated ${hhmm}`);
  });
});
