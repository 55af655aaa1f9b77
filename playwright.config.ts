import { defineConfig } from "@playwright/test";

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
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
