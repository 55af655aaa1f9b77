import { expect, type Locator, type Page } from "@playwright/test";

/** The dashboard at `/`, found the way a reader or a screen reader finds it: by role and name. */
export class DashboardPage {
  readonly feed: Locator;
  readonly ticker: Locator;
  readonly topics: Locator;
  readonly search: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.feed = page.getByRole("feed", { name: "News feed" });
    this.ticker = page.getByRole("marquee", { name: "Breaking news" });
    this.topics = page.getByRole("group", { name: "Topics" });
    this.search = page.getByRole("searchbox", { name: "Search" });
    this.status = page.getByRole("status");
  }

  /** Opens the dashboard (with an optional query such as `?topic=world`) and waits until it is live. */
  async open(query = ""): Promise<void> {
    await this.page.goto(`/${query}`);
    await expect(this.status).toContainText("Live");
  }

  article(headline: string | RegExp): Locator {
    return this.feed.getByRole("article", { name: headline });
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
