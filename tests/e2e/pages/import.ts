import type { Locator, Page } from "@playwright/test";

/** The panel's Import screen (`/admin/import`), found by role and accessible name. */
export class ImportScreen {
  readonly screen: Locator;
  readonly text: Locator;
  readonly topics: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByRole("region", { name: "Import" });
    this.text = this.screen.getByRole("textbox", { name: "Text", exact: true });
    this.topics = this.screen.getByRole("group", { name: "Topics" });
    this.submit = this.screen.getByRole("button", { name: "Import", exact: true });
  }

  /** Follows the panel's navigation link to the screen. */
  async open(): Promise<void> {
    await this.page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Import" }).click();
  }

  topic(name: string): Locator {
    return this.topics.getByRole("checkbox", { name, exact: true });
  }

  /** The line under the form that says what came of the last import. */
  message(text: string | RegExp): Locator {
    return this.screen.getByRole("status").filter({ hasText: text });
  }
}
