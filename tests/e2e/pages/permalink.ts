import { expect, type Locator, type Page } from "@playwright/test";

/** An item's page at `/items/:id`, found by role and accessible name. */
export class PermalinkPage {
  readonly main: Locator;
  readonly article: Locator;
  readonly history: Locator;
  /** The connection bar, the same as the dashboard's: state, "Retry now" while cut off. */
  readonly connection: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.main = page.getByRole("main");
    this.article = this.main.getByRole("article");
    this.history = page.getByRole("region", { name: "Revision history" });
    this.connection = page.getByRole("region", { name: "Connection" });
    this.status = this.connection.getByRole("status");
  }

  async open(id: string): Promise<void> {
    await this.page.goto(`/items/${encodeURIComponent(id)}`);
    await expect(this.article).toBeVisible();
  }

  /** The item's "Copy link “headline”" button. */
  copyLink(headline: string): Locator {
    return this.article.getByRole("button", { name: `Copy link “${headline}”` });
  }

  heading(): Locator {
    return this.article.getByRole("heading", { level: 1 });
  }
}
