import { expect, seriousViolations, test } from "./fixtures";
import { PermalinkPage } from "./pages/permalink";

/*
 * Sharing an item (#15): "Copy link" on each card and on the permalink puts the item's absolute
 * address on the clipboard and says so; where the clipboard is refused, the link is shown selected
 * for the reader to copy.
 */

const clipboard = ["clipboard-read", "clipboard-write"];

test("a reader copies a card's link with the keyboard and hears it was copied", async ({
  dashboard,
  desk,
  page,
  context,
}) => {
  await context.grantPermissions(clipboard, { origin: desk.url });
  const item = await desk.publish({ headline: "Share: night trains return", summary: "From May." });
  await dashboard.open();
  const button = dashboard.copyLink("Share: night trains return");
  await button.focus();
  await page.keyboard.press("Enter");
  const card = dashboard.article("Share: night trains return");
  await expect(card.getByText("Link copied", { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${desk.url}/items/${item.id}`);
  // The confirmation is in a polite live region, so a screen reader reads it out.
  await expect(card.getByText("Link copied", { exact: true })).toHaveAttribute("aria-live", "polite");
  expect(await seriousViolations(page)).toEqual([]);
  // It goes again, so the next copy is news too.
  await expect(card.getByText("Link copied", { exact: true })).toHaveCount(0, { timeout: 10_000 });
});

test("the permalink copies its own address", async ({ desk, page, context }) => {
  await context.grantPermissions(clipboard, { origin: desk.url });
  const item = await desk.publish({ headline: "Share: a permalink's link" });
  const permalink = new PermalinkPage(page);
  await permalink.open(item.id);
  await permalink.copyLink("Share: a permalink's link").click();
  await expect(permalink.article.getByText("Link copied", { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${desk.url}/items/${item.id}`);
  expect(await seriousViolations(page)).toEqual([]);
});

test("a refused clipboard shows the link selected to copy by hand, on a phone", async ({
  dashboard,
  desk,
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 800 });
  // The browser refuses, as it does without permission or outside a secure context.
  await page.addInitScript(() => {
    Object.defineProperty(navigator.clipboard, "writeText", {
      value: () => Promise.reject(new DOMException("Write permission denied.", "NotAllowedError")),
    });
  });
  const item = await desk.publish({ headline: "Share: ferry timetable changes" });
  await dashboard.open();
  await dashboard.copyLink("Share: ferry timetable changes").click();
  const card = dashboard.article("Share: ferry timetable changes");
  const field = card.getByRole("textbox", { name: "Link to “Share: ferry timetable changes”" });
  await expect(field).toHaveValue(`${desk.url}/items/${item.id}`);
  await expect(field).toBeFocused();
  expect(
    await field.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd]),
  ).toEqual([0, `${desk.url}/items/${item.id}`.length]);
  await expect(card.getByText("Copy the selected link", { exact: true })).toBeVisible();
  await expect(card.getByText("Link copied", { exact: true })).toHaveCount(0);
  // Nothing sticks out sideways on the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await seriousViolations(page)).toEqual([]);
});

test("a hostile headline stays text in the button's name and in the permalink's JSON-LD", async ({
  dashboard,
  desk,
  page,
  context,
}) => {
  await context.grantPermissions(clipboard, { origin: desk.url });
  const headline = `Share: </script><script>window.pwned=1</script><img src=x onerror="window.pwned=2"> & "quotes"`;
  const item = await desk.publish({ headline });
  await dashboard.open();
  await dashboard.copyLink(headline).click();
  await expect(dashboard.article(headline).getByText("Link copied", { exact: true })).toBeVisible();
  expect(await page.evaluate(() => Reflect.get(window, "pwned"))).toBeUndefined();

  // The permalink as a crawler reads it: the JSON-LD block is whole and says the headline as text.
  const permalink = new PermalinkPage(page);
  await permalink.open(item.id);
  const blocks = await page
    .locator('script[type="application/ld+json"]')
    .evaluateAll((scripts) => scripts.map((script) => script.textContent ?? ""));
  expect(blocks).toHaveLength(1);
  expect(JSON.parse(blocks[0] ?? "")).toMatchObject({ "@type": "NewsArticle", headline });
  expect(await page.evaluate(() => Reflect.get(window, "pwned"))).toBeUndefined();
});
