import { DESK_ADMIN_PASSWORD } from "../helpers/desk";
import { expect, seriousViolations, test } from "./fixtures";
import { AdminPage } from "./pages/admin";
import { PermalinkPage } from "./pages/permalink";

/*
 * Editorial signals as a reader meets them (#15): a flash in the ticker and the feed with "Flash"
 * and its verification as words, read out assertively; a confirmation arriving live, and in the
 * item's revision history with its time and who.
 */

test("a reader sees a flash with Flash and Unconfirmed, then Confirmed live and in the history", async ({
  dashboard,
  desk,
  page,
}) => {
  await dashboard.open();
  const flash = await desk.publish({
    headline: "Signals: dam breaks upstream",
    urgency: 1,
    verification: "unconfirmed",
    sources: [{ name: "River authority", role: "official", uri: "https://example.org/river" }],
  });
  const card = dashboard.article("Signals: dam breaks upstream");
  await expect(card).toContainText("Flash");
  await expect(card).toContainText("Unconfirmed");
  await expect(card.getByRole("link", { name: /River authority/ })).toHaveAttribute(
    "href",
    "https://example.org/river",
  );
  const tickerEntry = dashboard.ticker
    .getByRole("listitem")
    .filter({ hasText: "Signals: dam breaks upstream" });
  await expect(tickerEntry.first()).toContainText("Flash");
  await expect(tickerEntry.first()).toContainText("Unconfirmed");
  await expect(page.getByRole("alert", { name: "Flash announcements" })).toHaveText(
    "Flash: Signals: dam breaks upstream.",
  );
  expect(await seriousViolations(page)).toEqual([]);

  await desk.edit(flash, { verification: "confirmed" });
  await expect(card).toContainText("Confirmed");
  await expect(card).not.toContainText("Unconfirmed");

  const permalink = new PermalinkPage(page);
  await permalink.open(flash.id);
  await expect(permalink.article).toContainText("Flash");
  await expect(permalink.article).toContainText("Confirmed");
  await expect(permalink.history).toContainText(/Confirmed at .+ by /);
  expect(await seriousViolations(page)).toEqual([]);
});

test("an alert and an urgent item are announced politely, not as a flash", async ({
  dashboard,
  desk,
  page,
}) => {
  await dashboard.open();
  await desk.publish({ headline: "Signals: an alert", urgency: 2 });
  await expect(dashboard.article("Signals: an alert")).toContainText("Alert");
  await expect(dashboard.announcements).toHaveText("Breaking: Signals: an alert.");
  await expect(page.getByRole("alert", { name: "Flash announcements" })).toHaveText("");
});

test("an operator publishes a flash, confirms it in the editor, and filters the list by verification", async ({
  page,
  reader,
}) => {
  const admin = new AdminPage(page);
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  await admin.headline.fill("Signals panel: bridge collapses");
  await admin.topic("World").check();
  // The named grades are one keystroke away in the Urgency choice.
  await admin.urgency.focus();
  await page.keyboard.press("f");
  await expect(admin.urgency).toHaveValue("1");
  await expect(admin.breaking).toBeChecked();
  await admin.verification.selectOption({ label: "Unconfirmed" });
  await admin.keyEvent.check();
  await admin.sources.fill("Police | official | https://example.org/police");
  expect(await seriousViolations(page)).toEqual([]);
  await admin.publish.click();

  const card = reader.article("Signals panel: bridge collapses");
  await expect(card).toContainText("Flash");
  await expect(card).toContainText("Unconfirmed");
  await expect(card.getByRole("link", { name: /Police/ })).toBeVisible();

  await admin.setVerification("Signals panel: bridge collapses", "Confirmed");
  await expect(card).toContainText("Confirmed");
  await expect(card).not.toContainText("Unconfirmed");

  const row = admin.row("Signals panel: bridge collapses");
  await admin.verificationFilter.selectOption({ label: "Unconfirmed" });
  await expect(row).toBeHidden();
  await admin.verificationFilter.selectOption({ label: "Confirmed" });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Confirmed");
});

test("a flash on a phone under reduced motion: its words fit, the page does not scroll sideways, axe is clean", async ({
  dashboard,
  desk,
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ reducedMotion: "reduce" });
  await dashboard.open();
  await desk.publish({
    headline: "Signals phone: ferry runs aground",
    urgency: 1,
    verification: "disputed",
    sources: [{ name: "Harbour master", role: "official", uri: "https://example.org/harbour" }],
  });
  const card = dashboard.article("Signals phone: ferry runs aground");
  await expect(card.getByText("Flash", { exact: true })).toBeVisible();
  await expect(card.getByText("Disputed", { exact: true })).toBeVisible();
  await expect(dashboard.ticker.getByText("Flash", { exact: true }).first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await seriousViolations(page)).toEqual([]);
});
