import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, test as base, expect, type Page } from "@playwright/test";
import { Desk } from "../helpers/desk";
import { DashboardPage } from "./pages/dashboard";

export { expect };

/**
 * Serious and critical accessibility violations on the page once it is still: a new item fades
 * in, and contrast is judged on what a reader sees after that, not halfway through. (The
 * ticker's endless scroll does not count as movement here.)
 */
export function seriousViolations(page: Page): Promise<string[]> {
  return violations(page, (impact) => impact === "serious" || impact === "critical");
}

/** Every accessibility violation axe finds, minor and moderate ones too (content outside landmarks, say). */
export function everyViolation(page: Page): Promise<string[]> {
  return violations(page, () => true);
}

async function violations(
  page: Page,
  counts: (impact: string | null | undefined) => boolean,
): Promise<string[]> {
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every(
        (animation) =>
          animation.playState !== "running" || animation.effect?.getComputedTiming().endTime === Infinity,
      ),
  );
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => counts(violation.impact))
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
}

/** A reader's page open beside another (the panel, another reader), in a browser context of its own. */
export async function openReader(
  browser: Browser,
  url: string,
): Promise<{ reader: DashboardPage; context: BrowserContext }> {
  // Without the offline service worker: its own specs test it, and a request that passes through
  // a service worker escapes the context's routes, so holdRequests() would miss a reader's pictures.
  const context = await browser.newContext({ baseURL: url, serviceWorkers: "block" });
  const reader = new DashboardPage(await context.newPage());
  await reader.open();
  return { reader, context };
}

/**
 * Holds the requests `target` makes to `url` until the `release()` it answers is called: for a test
 * that must see what the page does while a call is still on its way.
 */
export async function holdRequests(target: Page | BrowserContext, url: string | RegExp): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await target.route(url, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

export const test = base.extend<
  { dashboard: DashboardPage; reader: DashboardPage; pageErrors: string[] },
  { desk: Desk }
>({
  // One livedesk per worker, in its own process with a fresh SQLite file.
  desk: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
    async ({}, use) => {
      const desk = await Desk.start();
      await use(desk);
      await desk.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ desk }, use) => {
    await use(desk.url);
  },
  // Every test fails on an uncaught error in the page.
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      // A Content-Security-Policy violation is reported on the console only; it is a failure too.
      page.on("console", (message) => {
        if (message.type() === "error" && message.text().includes("Content Security Policy"))
          errors.push(message.text());
      });
      await use(errors);
      expect(errors).toEqual([]);
    },
    { auto: true },
  ],
  dashboard: async ({ page }, use) => {
    await use(new DashboardPage(page));
  },
  // A reader watching live beside the test's own page (the panel, say), closed after the test.
  reader: async ({ browser, desk }, use) => {
    const { reader, context } = await openReader(browser, desk.url);
    await use(reader);
    await context.close();
  },
});
