import type { Locator } from "@playwright/test";
import { DESK_ADMIN_PASSWORD } from "../helpers/desk";
import { expect, openReader, seriousViolations, test } from "./fixtures";
import { AdminPage } from "./pages/admin";
import { PermalinkPage } from "./pages/permalink";

// Generous: the machine running these is shared and often loaded.
const ARRIVES = { timeout: 10_000 };

/** The tombstone's notice inside an article: the paragraph that says it was retracted or withdrawn. */
function notice(article: Locator, words = "This item was retracted."): Locator {
  return article.getByRole("paragraph").filter({ hasText: words });
}

test.describe("a retraction", () => {
  test("shows the reader who was there and the newcomer the same tombstone, on / and the permalink", async ({
    browser,
    dashboard,
    desk,
  }) => {
    const headline = "Retraction test: harbour bridge closed";
    const summary = "Engineers found cracks in the northern span overnight.";
    const correction = "An earlier version named the wrong span.";
    await dashboard.open();
    const first = await desk.publish({ headline, summary });
    const edited = await desk.edit(first, { summary: `${summary} Traffic is diverted.`, correction });
    const present = dashboard.article(headline);
    await expect(present).toContainText("Traffic is diverted.", ARRIVES);

    await desk.retract(edited, "The bridge was never closed.");
    await expect(notice(present)).toContainText("The bridge was never closed.", ARRIVES);
    await expect(present).not.toContainText(summary);
    await expect(present).not.toContainText(correction);
    const seen = (await notice(present).textContent()) ?? "";

    const { reader: newcomer, context } = await openReader(browser, desk.url);
    try {
      const arrived = newcomer.article(headline);
      await expect(arrived).toBeVisible();
      await expect(notice(arrived)).toHaveText(seen);
      await expect(arrived).toContainText("Retracted");
      await expect(arrived).not.toContainText(summary);
      // The notice says when, as well as why.
      expect(seen).toMatch(/Retracted .*\d/);

      // The permalink, opened fresh by the newcomer and followed by the reader who was there.
      const permalinks = [new PermalinkPage(newcomer.page), new PermalinkPage(dashboard.page)];
      await permalinks[0]?.open(first.id);
      await present.getByRole("link", { name: headline }).click();
      for (const permalink of permalinks) {
        await expect(permalink.heading()).toHaveText(headline);
        await expect(notice(permalink.article)).toHaveText(seen);
        await expect(permalink.history).toContainText("Retracted: The bridge was never closed.");
        await expect(permalink.main).not.toContainText(summary);
        await expect(permalink.main).not.toContainText(correction);
      }
      expect(await seriousViolations(newcomer.page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("as a legal kill from the panel shows only “Withdrawn” and the reason, while the operator still sees it all", async ({
    browser,
    desk,
    page,
  }) => {
    const headline = "Legal kill test: councillor named in inquiry";
    const summary = "The councillor is said to have taken payments.";
    const item = await desk.publish({ headline, summary, breaking: true });
    const { reader: present, context } = await openReader(browser, desk.url);
    const newcomerContext = await browser.newContext({ baseURL: desk.url });
    try {
      await expect(present.tickerHeadline(headline)).toBeVisible(ARRIVES);

      const admin = new AdminPage(page);
      await admin.login("admin", DESK_ADMIN_PASSWORD);
      await admin
        .row(headline)
        .getByRole("button", { name: /^Retract/ })
        .click();
      await admin.dialog.getByRole("textbox", { name: "Reason" }).fill("Withdrawn on legal advice.");
      await admin.dialog.getByRole("checkbox", { name: "Withdraw the headline too (legal kill)" }).check();
      await admin.dialog.getByRole("button", { name: "Retract" }).click();
      await expect(admin.dialog).toHaveCount(0);

      // The reader who was there: the card becomes "Withdrawn", the ticker lets the headline go.
      const withdrawn = present.article("Withdrawn");
      await expect(notice(withdrawn, "This item was withdrawn.")).toContainText(
        "Withdrawn on legal advice.",
        ARRIVES,
      );
      await expect(present.tickerHeadline(headline)).toHaveCount(0);
      await expect(present.page.locator("body")).not.toContainText(headline);
      await expect(present.page.locator("body")).not.toContainText(summary);

      // A newcomer, on / and on the permalink.
      const newcomerPage = await newcomerContext.newPage();
      await newcomerPage.goto("/");
      const newcomerCard = newcomerPage.getByRole("feed", { name: "News feed" }).getByRole("article", {
        name: "Withdrawn",
      });
      await expect(notice(newcomerCard, "This item was withdrawn.")).toContainText(
        "Withdrawn on legal advice.",
      );
      const permalink = new PermalinkPage(newcomerPage);
      await permalink.open(item.id);
      await expect(permalink.heading()).toHaveText("Withdrawn");
      await expect(notice(permalink.article, "This item was withdrawn.")).toContainText(
        "Withdrawn on legal advice.",
      );
      await expect(newcomerPage.locator("body")).not.toContainText(headline);
      await expect(newcomerPage.locator("body")).not.toContainText(summary);
      await expect(newcomerPage).not.toHaveTitle(new RegExp(headline));

      // The operator: the real headline in the list, and the stored text on request.
      const row = admin.row(headline);
      await expect(row.getByText("Withdrawn", { exact: true })).toBeVisible(ARRIVES);
      await row.getByRole("button", { name: /^Show retracted text/ }).click();
      const stored = admin.items.getByRole("region", { name: `Retracted text of “${headline}”` });
      await expect(stored).toContainText(summary);
      await expect(stored).toContainText("Withdrawn on legal advice.");
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await newcomerContext.close();
      await context.close();
    }
  });
});
