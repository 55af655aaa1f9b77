import type { Locator, Page } from "@playwright/test";
import { Desk } from "../helpers/desk";
import {
  test as base,
  everyViolation,
  expect,
  holdRequests,
  openReader,
  seriousViolations,
} from "./fixtures";

/*
 * "Key events" (#15): readers get a navigation of the newest key events, more on demand, live;
 * choosing one jumps to the item in the feed however far down it is (one call loads everything
 * above it), moves focus to it and highlights it.
 */

/** The key event far down: 500 newer items stand above it, ten of them key events themselves. */
const TARGET = "Key events: dam breaches upstream";
const NEWER = 500;
/** Every 50th newer item is a key event: the ten newest key events, so the target needs "More key events". */
const newerHeadline = (i: number) =>
  i % 50 === 49 ? `Key events: turning point ${i}` : `Key events filler ${i}`;

/** This file's desk, seeded once: other files' desks stay as small as they were. */
const test = base.extend<object, { desk: Desk }>({
  desk: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
    async ({}, use) => {
      const desk = await Desk.start();
      // An hour ago and on, a second apart: older than anything published during the tests.
      const start = Date.now() - 3_600_000;
      await desk.publish({ headline: TARGET, keyEvent: true, publishedAt: new Date(start).toISOString() });
      for (let batch = 0; batch < NEWER; batch += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, k) => {
            const i = batch + k;
            return desk.publish({
              headline: newerHeadline(i),
              keyEvent: i % 50 === 49,
              publishedAt: new Date(start + (i + 1) * 1000).toISOString(),
            });
          }),
        );
      }
      await use(desk);
      await desk.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

/** Whether the card shows the highlight: the accent ring a jump gives it. */
function highlighted(card: Locator): Promise<boolean> {
  return card.evaluate((element) => getComputedStyle(element).boxShadow !== "none");
}

/** Counts the calls that load the feed down to an item (`through=`), from now on. */
function countJumpCalls(page: Page): () => number {
  let calls = 0;
  page.on("request", (request) => {
    if (new URL(request.url()).searchParams.has("through")) calls += 1;
  });
  return () => calls;
}

test("a key event 500 items down is reached from the navigation in one call: in view, focused, highlighted", async ({
  dashboard,
  desk,
  page,
}) => {
  await dashboard.open();
  await expect(dashboard.keyEvents).toBeVisible();
  await expect(dashboard.keyEvents.getByRole("link")).toHaveCount(10);
  await expect(dashboard.keyEvent(`Key events: turning point ${NEWER - 1}`)).toBeVisible();
  await expect(dashboard.keyEvent(TARGET)).toHaveCount(0);
  await expect(dashboard.article(TARGET)).toHaveCount(0);
  expect(await everyViolation(page)).toEqual([]);

  // The oldest key event is one more page away; focus goes to it, as the button is then gone.
  await dashboard.moreKeyEvents.click();
  await expect(dashboard.keyEvent(TARGET)).toBeFocused();
  await expect(dashboard.moreKeyEvents).toHaveCount(0);

  // The ticker and the feed stay live while the jump's call is on its way.
  const release = await holdRequests(page, /[?&]through=/);
  const jumpCalls = countJumpCalls(page);
  await dashboard.keyEvent(TARGET).click();
  await expect(dashboard.keyEvents).toContainText(`Finding “${TARGET}” in the feed…`);
  await desk.publish({ headline: "Key events: breaking while the jump loads", breaking: true });
  await expect(dashboard.tickerHeadline("Key events: breaking while the jump loads").first()).toBeVisible();
  // In the feed, or behind "1 new item" when the reader is scrolled down to the list.
  await expect(
    dashboard.article("Key events: breaking while the jump loads").or(dashboard.newItems(1)),
  ).toBeVisible();
  release();

  const card = dashboard.article(TARGET);
  await expect(card).toBeFocused();
  await expect(card).toBeInViewport();
  expect(await highlighted(card)).toBe(true);
  expect(jumpCalls()).toBe(1);
  expect(await highlighted(dashboard.article(newerHeadline(0)))).toBe(false);
  expect(await seriousViolations(page)).toEqual([]);
  // For a moment: the highlight goes, the focus stays.
  await expect.poll(() => highlighted(card), { timeout: 10_000 }).toBe(false);
  await expect(card).toBeFocused();
});

test("keyboard only: Tab to a key event, Enter jumps to it, and Tab goes on from the card", async ({
  dashboard,
  page,
}) => {
  await dashboard.open();
  const link = dashboard.keyEvent(`Key events: turning point ${NEWER - 101}`);
  await expect(link).toBeVisible();
  for (
    let presses = 0;
    presses < 60 && !(await link.evaluate((a) => a === document.activeElement));
    presses++
  ) {
    await page.keyboard.press("Tab");
  }
  await expect(link).toBeFocused();
  await page.keyboard.press("Enter");
  const card = dashboard.article(`Key events: turning point ${NEWER - 101}`);
  await expect(card).toBeFocused();
  await expect(card).toBeInViewport();
  expect(page.url()).not.toContain("/items/");
  await page.keyboard.press("Tab");
  await expect(card.getByRole("link", { name: `Key events: turning point ${NEWER - 101}` })).toBeFocused();
});

test.describe("on a phone under reduced motion", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the navigation waits behind its summary, the feed starts on the first screen, and a jump lands without motion", async ({
    dashboard,
    page,
  }) => {
    await page.emulateMedia({ reducedMotion: "reduce" });
    await dashboard.open();
    await expect(dashboard.keyEventsSummary).toBeVisible();
    await expect(dashboard.keyEvent(`Key events: turning point ${NEWER - 1}`)).toBeHidden();
    const first = dashboard.feed.getByRole("article").first();
    const box = await first.boundingBox();
    expect(box !== null && box.y < 844 - 100).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await dashboard.keyEventsSummary.click();
    const link = dashboard.keyEvent(`Key events: turning point ${NEWER - 251}`);
    await expect(link).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await link.click();
    const card = dashboard.article(`Key events: turning point ${NEWER - 251}`);
    await expect(card).toBeFocused();
    await expect(card).toBeInViewport();
    expect(await highlighted(card)).toBe(true);
    // Nothing fades or glides: the highlight comes and goes at once, the page jumps.
    expect(await card.evaluate((element) => getComputedStyle(element).transitionDuration)).toBe("0s");
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior)).toBe("auto");
  });
});

test("marks, edits, unmarks and retractions reach a reader already on the page; a newcomer loads the list", async ({
  browser,
  dashboard,
  desk,
  page,
}) => {
  await dashboard.open();
  await expect(dashboard.keyEvents.getByRole("link")).toHaveCount(10);
  const item = await desk.publish({ headline: "Key events: parliament dissolved" });
  await expect(dashboard.article("Key events: parliament dissolved")).toBeVisible();
  await expect(dashboard.keyEvent("Key events: parliament dissolved")).toHaveCount(0);

  const marked = await desk.edit(item, { keyEvent: true });
  await expect(dashboard.keyEvent("Key events: parliament dissolved")).toBeVisible();
  await expect(dashboard.keyEvents.getByRole("link").first()).toHaveText("Key events: parliament dissolved");

  const { reader: newcomer, context } = await openReader(browser, desk.url);
  try {
    await expect(newcomer.keyEvent("Key events: parliament dissolved")).toBeVisible();
  } finally {
    await context.close();
  }

  const edited = await desk.edit(marked, { headline: "Key events: parliament dissolved, vote in May" });
  await expect(dashboard.keyEvent("Key events: parliament dissolved, vote in May")).toBeVisible();
  await expect(dashboard.keyEvent("Key events: parliament dissolved")).toHaveCount(0);

  const unmarked = await desk.edit(edited, { keyEvent: false });
  await expect(dashboard.keyEvent("Key events: parliament dissolved, vote in May")).toHaveCount(0);
  await desk.edit(unmarked, { keyEvent: true });
  await expect(dashboard.keyEvent("Key events: parliament dissolved, vote in May")).toBeVisible();

  // A key event far outside the reader's window, retracted: gone from the list at once.
  const older = dashboard.keyEvent(`Key events: turning point ${NEWER - 401}`);
  await expect(older).toBeVisible();
  const far = await desk.call("GET", `/api/items?keyEvent=true&q=${encodeURIComponent("turning point 99")}`);
  const farItem = (far as { items: { id: string; version: number }[] }).items[0];
  if (farItem === undefined) throw new Error("the key event is not listed");
  await desk.call("POST", `/api/items/${farItem.id}/retract`, { reason: "Wrong dam" });
  await expect(older).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});
