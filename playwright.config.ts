import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const PORT = 4317;
const dataDir = path.join(os.tmpdir(), `livedesk-e2e-${process.pid}`);

export const E2E_ADMIN_PASSWORD = "e2e-admin-password";

/** Debian's Chromium; Playwright's own browser downloads cannot be reached from here. */
export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
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
    trace: "off",
  },
  webServer: {
    command: "node --import tsx server/main.ts",
    url: `http://127.0.0.1:${PORT}/readyz`,
    reuseExistingServer: false,
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATABASE_URL: `sqlite:${path.join(dataDir, "livedesk.db")}`,
      LIVEDESK_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      LOG_LEVEL: "warn",
    },
  },
});
