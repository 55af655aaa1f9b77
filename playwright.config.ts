import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./tests/helpers/chromium";

/**
 * Browser tests in Debian's Chromium (Playwright's own browser downloads cannot be reached from
 * here). Each worker starts its own livedesk process on a fresh SQLite file: see tests/e2e/fixtures.ts.
 */
export default defineConfig({
  testDir: "tests/e2e",
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: "list",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    browserName: "chromium",
    launchOptions: chromiumLaunchOptions,
  },
});
