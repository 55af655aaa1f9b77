import { expect, type Locator, type Page } from "@playwright/test";

/** The dashboard at `/`, found the way a reader or a screen reader finds it: by role and name. */
export class DashboardPage {
  readonly feed: Locator;
  readonly ticker: Locator;
  readonly topics: Locator;
  readonly search: Locator;
  readonly status: Locator;
  /** The connection bar: the state, "Retry now" while cut off, the number of readers. */
  readonly connection: Locator;
  readonly retryNow: Locator;
  /** "N readers". */
  readonly readers: Locator;
  /** The polite live region that reads breaking headlines out. */
  readonly announcements: Locator;
  /** The feeds of the reader's view: links "Atom feed" and "JSON Feed". */
  readonly feeds: Locator;
  readonly atomFeed: Locator;
  readonly jsonFeed: Locator;
  /** The "Key events" navigation: its summary (a disclosure on a phone), its links, "More key events". */
  readonly keyEvents: Locator;
  readonly keyEventsSummary: Locator;
  readonly moreKeyEvents: Locator;

  constructor(readonly page: Page) {
    this.feed = page.getByRole("feed", { name: "News feed" });
    this.ticker = page.getByRole("marquee", { name: "Breaking news" });
    this.topics = page.getByRole("group", { name: "Topics" });
    this.search = page.getByRole("searchbox", { name: "Search" });
    this.status = page.getByRole("status");
    this.connection = page.getByRole("region", { name: "Connection" });
    this.retryNow = this.connection.getByRole("button", { name: "Retry now" });
    this.readers = page.getByText(/^\d+ readers?$/);
    this.announcements = page.getByRole("log", { name: "Announcements" });
    this.feeds = page.getByRole("navigation", { name: "Feeds" });
    this.atomFeed = this.feeds.getByRole("link", { name: "Atom feed" });
    this.jsonFeed = this.feeds.getByRole("link", { name: "JSON Feed" });
    this.keyEvents = page.getByRole("navigation", { name: "Key events" });
    this.keyEventsSummary = this.keyEvents.getByText(/^Key events \(\d+\)$/);
    this.moreKeyEvents = this.keyEvents.getByRole("button", { name: "More key events" });
  }

  /** The link to a key event in the "Key events" navigation. */
  keyEvent(headline: string): Locator {
    return this.keyEvents.getByRole("link", { name: headline, exact: true });
  }

  /** Where the page's head points browsers and feed readers for a feed of `type`, one address per link. */
  discoveredFeeds(type: "application/atom+xml" | "application/feed+json"): Promise<string[]> {
    return this.page
      .locator(`head link[rel="alternate"][type="${type}"]`)
      .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  }

  /** The "N new items" button. */
  newItems(count: number): Locator {
    return this.page.getByRole("button", { name: `${count} new ${count === 1 ? "item" : "items"}` });
  }

  /** Makes the page believe its tab was hidden (or shown again), as switching tabs would. */
  async setTabHidden(hidden: boolean): Promise<void> {
    await this.page.evaluate(
      (state) => {
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
        document.dispatchEvent(new Event("visibilitychange"));
      },
      hidden ? "hidden" : "visible",
    );
  }

  /** What the reader is looking at: the first article wholly on screen, and where it stands. */
  looking(): Promise<{ headline: string | null | undefined; top: number }> {
    return this.page.evaluate(() => {
      const articles = [...document.querySelectorAll("[role=feed] article")];
      const article = articles.find((a) => a.getBoundingClientRect().top >= 0);
      return {
        headline: article?.querySelector("h2")?.textContent,
        top: Math.round(article?.getBoundingClientRect().top ?? -1),
      };
    });
  }

  /** Waits until the feed has measured what it rendered and stands still; returns what the reader sees. */
  async stillLooking(): Promise<{ headline: string | null | undefined; top: number }> {
    let before = await this.looking();
    await expect
      .poll(async () => {
        const now = await this.looking();
        const still =
          now.headline !== undefined && now.headline === before.headline && now.top === before.top;
        before = now;
        return still;
      })
      .toBe(true);
    return before;
  }

  /** Records every text the announcements region shows from now on, for `heard()`. */
  async listen(): Promise<void> {
    await this.page.evaluate(() => {
      const log = document.querySelector("[role=log][aria-label=Announcements]");
      const heard: string[] = [];
      Object.assign(window, { livedeskHeard: heard });
      if (log === null) return;
      new MutationObserver(() => {
        if (log.textContent) heard.push(log.textContent);
      }).observe(log, { childList: true, characterData: true, subtree: true });
    });
  }

  /** Everything the announcements region said since `listen()`. */
  heard(): Promise<string[]> {
    return this.page.evaluate(() => {
      const heard: unknown = Reflect.get(window, "livedeskHeard");
      return Array.isArray(heard) ? heard.map(String) : [];
    });
  }

  /** Opens the dashboard (with an optional query such as `?topic=world`) and waits until it is live. */
  async open(query = ""): Promise<void> {
    await this.page.goto(`/${query}`);
    await expect(this.status).toContainText("Live");
  }

  article(headline: string | RegExp): Locator {
    return this.feed.getByRole("article", { name: headline });
  }

  /** The card's "Copy link “headline”" button. */
  copyLink(headline: string): Locator {
    return this.article(headline).getByRole("button", { name: `Copy link “${headline}”` });
  }

  topic(name: string): Locator {
    return this.topics.getByRole("button", { name, exact: true });
  }

  /** The headlines of the feed, top to bottom. */
  headlines(): Locator {
    return this.feed.getByRole("article").getByRole("heading");
  }

  tickerHeadline(headline: string): Locator {
    return this.ticker.getByRole("link", { name: headline });
  }
}
