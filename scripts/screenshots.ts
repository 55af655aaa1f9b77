/**
 * Makes the README's screenshots from a real run: a livedesk process with the demo wire on a
 * fresh SQLite file, Debian's Chromium at desktop and phone sizes. `npm run screenshots`.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { z } from "zod";
import { chromiumLaunchOptions } from "../tests/helpers/chromium";
import { freePort } from "../tests/helpers/desk";
import { spawnServer } from "../tests/helpers/process";
import { tempDir } from "../tests/helpers/server";

const OUT = path.resolve(import.meta.dirname, "..", "docs", "screenshots");

async function main(): Promise<void> {
  const dir = tempDir();
  const server = await spawnServer({
    PORT: String(await freePort()),
    DATABASE_URL: `sqlite:${path.join(dir, "livedesk.db")}`,
    LIVEDESK_ADMIN_PASSWORD: "screenshot-password",
    LIVEDESK_DEMO: "1",
    LIVEDESK_DEMO_INTERVAL_MS: "1000",
  });
  try {
    // The demo wire back-dates six stories at once; wait for one or two live ones on top.
    for (;;) {
      const page = z
        .object({ items: z.array(z.unknown()) })
        .parse(await (await fetch(`${server.url}/api/items`)).json());
      if (page.items.length >= 8) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const browser = await chromium.launch(chromiumLaunchOptions);
    fs.mkdirSync(OUT, { recursive: true });
    for (const shot of [
      { name: "desktop.png", viewport: { width: 1280, height: 860 }, colorScheme: "light" as const },
      { name: "phone.png", viewport: { width: 390, height: 844 }, colorScheme: "dark" as const },
    ]) {
      const context = await browser.newContext({
        viewport: shot.viewport,
        colorScheme: shot.colorScheme,
        reducedMotion: "reduce",
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
      await page.getByRole("feed", { name: "News feed" }).getByRole("article").first().waitFor();
      await page.screenshot({ path: path.join(OUT, shot.name) });
      await context.close();
      process.stdout.write(`wrote docs/screenshots/${shot.name}\n`);
    }
    await browser.close();
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
