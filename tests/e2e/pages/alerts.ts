import type { Locator, Page } from "@playwright/test";

/** The "Get alerts" dialog of the dashboard, found by role and name. */
export class AlertsDialog {
  readonly opener: Locator;
  readonly dialog: Locator;
  readonly turnOn: Locator;
  readonly turnOff: Locator;
  readonly close: Locator;
  readonly status: Locator;
  readonly problem: Locator;

  constructor(readonly page: Page) {
    this.opener = page.getByRole("button", { name: "Get alerts" });
    this.dialog = page.getByRole("dialog", { name: "Get alerts" });
    this.turnOn = this.dialog.getByRole("button", { name: "Turn on alerts" });
    this.turnOff = this.dialog.getByRole("button", { name: "Turn off alerts" });
    this.close = this.dialog.getByRole("button", { name: "Close" });
    this.status = this.dialog.getByRole("status");
    this.problem = this.dialog.getByRole("alert");
  }

  topic(name: string): Locator {
    return this.dialog.getByRole("group", { name: "Alert me about" }).getByRole("checkbox", { name });
  }

  threshold(label: string): Locator {
    return this.dialog.getByRole("group", { name: "Which items" }).getByRole("radio", { name: label });
  }
}
