import fs from "node:fs";
import { type BrowserContext, chromium } from "@playwright/test";
import { z } from "zod";
import { chromiumLaunchOptions } from "../helpers/chromium";
import { tempDir } from "../helpers/server";
import { expect, test } from "./fixtures";

/*
 * The dashboard can be added to a home screen (which iOS asks of a site before it may send push
 * alerts): Chromium's own installability check, through the DevTools protocol, finds nothing
 * missing, and the manifest's icons are real images of the sizes they claim.
 */

const installabilityErrors = z.object({
  installabilityErrors: z.array(z.object({ errorId: z.string() })),
});
const appManifest = z.object({ url: z.string(), errors: z.array(z.object({ message: z.string() })) });
const manifestSchema = z.object({
  name: z.string(),
  short_name: z.string(),
  start_url: z.string(),
  display: z.string(),
  icons: z.array(z.object({ src: z.string(), sizes: z.string(), type: z.string(), purpose: z.string() })),
});

async function expectInstallable(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  await page.goto("/");
  const cdp = await context.newCDPSession(page);
  const manifest = appManifest.parse(await cdp.send("Page.getAppManifest"));
  expect(manifest.url).toMatch(/\/manifest\.webmanifest$/);
  expect(manifest.errors).toEqual([]);
  // Chromium fetches the manifest and its icons in the background; until then it says what is missing.
  await expect
    .poll(async () =>
      installabilityErrors
        .parse(await cdp.send("Page.getInstallabilityErrors"))
        .installabilityErrors.map((error) => error.errorId),
    )
    .toEqual([]);
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute(
    "href",
    "/icons/apple-touch-icon.png",
  );
}

test("the dashboard is installable, with its icons", async ({ baseURL, request }) => {
  // A browser profile of its own: Chromium installs nothing from an incognito window, and every
  // other context Playwright makes is one.
  const profile = tempDir();
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions,
    ...(baseURL === undefined ? {} : { baseURL }),
  });
  try {
    await expectInstallable(context);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }

  const answer = await request.get("/manifest.webmanifest");
  expect(answer.headers()["content-type"]).toMatch(/^application\/manifest\+json/);
  const { icons, display, start_url } = manifestSchema.parse(await answer.json());
  expect(display).toBe("standalone");
  expect(start_url).toBe("/");
  for (const icon of icons.filter((icon) => icon.type === "image/png")) {
    const image = await request.get(icon.src);
    expect(image.headers()["content-type"], icon.src).toBe("image/png");
    const bytes = await image.body();
    // A PNG's width and height are in its header.
    expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
  }
  expect(icons.some((icon) => icon.purpose === "maskable")).toBe(true);
});
