/**
 * How the browser tests, the screenshots and the browser benchmark start Chromium: Debian's
 * (`CHROMIUM_PATH` for another), without the sandbox, GPU or background traffic a container lacks.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};
