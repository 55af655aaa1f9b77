/**
 * The dashboard's browser benchmark: does a reader's tab stay smooth with a long feed while the
 * newsroom publishes? `npx tsx bench/browser.ts`. It serves the built client from dist/client
 * (`npx vite build`), building it only when it is missing: rebuild after changing client code.
 *
 * 1. Seeds a fresh SQLite file with ITEMS published items, in-process through the real Timeline
 *    (commits issued in parallel, so the storage's group commit batches them), then serves it
 *    with the real server in its own process.
 * 2. Opens `/` in headless Chromium at a desktop size and scrolls to the end again and again, so
 *    the feed loads every older page, until its articles report `aria-setsize` ITEMS and "You
 *    have reached the end." shows. That time is the load time.
 * 3. Back at the top, observes `longtask` and `long-animation-frame` entries and every
 *    requestAnimationFrame interval while RATE changes a second arrive for SECONDS seconds
 *    through the HTTP API (new items, edits, breaking items for the ticker), open loop: each
 *    change goes out at its set time whether or not the previous one was answered. Stops once the
 *    page shows the last change.
 *
 * Target: no long task over 50 ms while 10 changes a second arrive on a 10,000-item feed. The exit
 * code is 0 whether or not it holds; only a failure to run is an error.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium } from "@playwright/test";
import { z } from "zod";
import { SqliteStorage } from "../server/storage/sqlite/sqlite-storage";
import { Timeline } from "../server/timeline/timeline";
import { type Item, itemSchema } from "../shared/item";
import { createItemSchema } from "../shared/requests";
import { setUpDesk } from "../tests/helpers/admin";
import { chromiumLaunchOptions } from "../tests/helpers/chromium";
import { freePort } from "../tests/helpers/desk";
import { spawnServer } from "../tests/helpers/process";
import { tempDir } from "../tests/helpers/server";

const ITEMS = 10_000;
const RATE = 10;
const SECONDS = 10;
const LONG_TASK_MS = 50;
const PASSWORD = "bench-admin-password";
const ROOT = path.resolve(import.meta.dirname, "..");
const TOPICS = [
  { slug: "world", name: "World" },
  { slug: "politics", name: "Politics" },
  { slug: "sport", name: "Sport" },
];

const WHO = ["Council", "Ministers", "Rail union", "Central bank", "City hospital", "Harbour board", "Club"];
const DOES = ["votes on", "delays", "announces", "rejects", "reviews", "backs", "warns over"];
const WHAT = [
  "budget",
  "new tram line",
  "flood defences",
  "school meals plan",
  "stadium lease",
  "water prices",
];

/** A made-up story of realistic length: "Council votes on budget 1234" and two sentences. */
function story(n: number): { headline: string; summary: string } {
  const who = WHO[n % WHO.length] ?? "";
  const does = DOES[Math.floor(n / WHO.length) % DOES.length] ?? "";
  const what = WHAT[Math.floor(n / (WHO.length * DOES.length)) % WHAT.length] ?? "";
  return {
    headline: `${who} ${does} ${what} ${n}`,
    summary:
      `${who} ${does} the ${what} after a long session on Tuesday evening, case ${n}. ` +
      `Opponents say the decision comes too late and promise to raise it again at the next meeting.`,
  };
}

/** ITEMS published items, one a minute back from now, on one or two topics each. */
async function seed(file: string): Promise<void> {
  const storage = SqliteStorage.open(file);
  for (const topic of TOPICS) await storage.createTopic(topic);
  const timeline = new Timeline(storage);
  const author = { name: "bench seed", principal: "bench:seed" };
  const now = Date.now();
  for (let start = 0; start < ITEMS; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, ITEMS - start) }, (_, k) => start + k);
    await Promise.all(
      batch.map((n) =>
        timeline.publish(
          createItemSchema.parse({
            ...story(n),
            topics: n % 3 === 0 ? ["world", "politics"] : [TOPICS[n % 3]?.slug ?? "world"],
            publishedAt: new Date(now - (ITEMS - n) * 60_000).toISOString(),
          }),
          author,
        ),
      ),
    );
  }
  await storage.close();
}

/**
 * RATE changes a second for SECONDS seconds, open loop. In each ten: a breaking item, six plain
 * ones, three edits (PATCH with the version) of an item created two changes earlier.
 */
async function publishChanges(url: string, token: string): Promise<Item[]> {
  const call = async (method: string, pathname: string, body: object): Promise<Item> => {
    const response = await fetch(`${url}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}`);
    return itemSchema.parse(await response.json());
  };
  const change = async (i: number, earlier: Promise<Item> | undefined): Promise<Item> => {
    if (earlier !== undefined) {
      const item = await earlier;
      return call("PATCH", `/api/items/${item.id}`, {
        version: item.version,
        headline: `${item.headline} (updated)`,
        correction: "An earlier version gave the wrong date.",
      });
    }
    const { headline, summary } = story(ITEMS + i);
    return call("POST", "/api/items", {
      headline: `Live: ${headline}`,
      summary,
      topics: ["world"],
      breaking: i % 10 === 0,
    });
  };
  const started = performance.now();
  const changes: Promise<Item>[] = [];
  for (let i = 0; i < RATE * SECONDS; i += 1) {
    await sleep(Math.max(0, started + (i * 1000) / RATE - performance.now()));
    changes.push(change(i, [3, 6, 9].includes(i % 10) ? changes[i - 2] : undefined));
  }
  return Promise.all(changes);
}

/** A `longtask` or `long-animation-frame` entry, as `toJSON()` gives it; only the latter has scripts. */
const entrySchema = z.object({
  entryType: z.string(),
  startTime: z.number(),
  duration: z.number(),
  scripts: z
    .array(z.object({ invoker: z.string(), sourceFunctionName: z.string(), duration: z.number() }))
    .default([]),
});

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : "–");

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, "dist", "client", "index.html"))) {
    const build = spawnSync("npx", ["vite", "build"], { cwd: ROOT, stdio: "inherit" });
    if (build.status !== 0) throw new Error("vite build failed");
  }
  // Undone in reverse order, however far the run got.
  const cleanups: (() => unknown)[] = [];
  try {
    const dir = tempDir();
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "browser-bench.db");
    const seedStarted = performance.now();
    await seed(file);
    process.stdout.write(`seeded ${ITEMS} items in ${ms(performance.now() - seedStarted)}\n`);

    const server = await spawnServer({
      PORT: String(await freePort()),
      DATABASE_URL: `sqlite:${file}`,
      LIVEDESK_ADMIN_PASSWORD: PASSWORD,
    });
    cleanups.push(async () => {
      server.child.kill("SIGTERM");
      await server.exited;
    });
    const browser = await chromium.launch(chromiumLaunchOptions);
    cleanups.push(() => browser.close());
    const token = (await setUpDesk(server.url, PASSWORD, {})).editorToken;
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // tsx compiles with esbuild's keepNames, so page functions that name a function call a
    // `__name` helper only Node has; the page gets a stand-in.
    await page.addInitScript("globalThis.__name = (fn) => fn;");
    const feed = page.getByRole("feed", { name: "News feed" });

    await page.goto(server.url);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
    await feed.getByRole("article").first().waitFor();
    const loadStarted = performance.now();
    // Each animation frame: jump to the end, which makes the feed ask for the next older page.
    await page.waitForFunction(
      (total) => {
        window.scrollTo(0, document.documentElement.scrollHeight);
        // Rows grow from their estimated size as they are measured: keep going until the last one shows.
        return (
          document.querySelector(`[role="feed"] [aria-posinset="${total}"][aria-setsize="${total}"]`) !== null
        );
      },
      ITEMS,
      { polling: "raf", timeout: 600_000 },
    );
    await page.getByText("You have reached the end.").waitFor();
    const loadMs = performance.now() - loadStarted;
    const lastPosition = await feed.getByRole("article").last().getAttribute("aria-posinset");
    process.stdout.write(`loaded the feed to article ${lastPosition} in ${ms(loadMs)}\n`);

    await page.evaluate(async () => {
      window.scrollTo(0, 0);
      // The feed notices the reader is back at the top on the next frame.
      for (let i = 0; i < 3; i += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
    });
    const recorder = await page.evaluateHandle(
      (types) => {
        const missing = types.filter((type) => !PerformanceObserver.supportedEntryTypes.includes(type));
        if (missing.length > 0) throw new Error(`this Chromium does not report ${missing.join(", ")}`);
        const entries: unknown[] = [];
        // Buffered: the entries of the loading phase come too, kept apart by their start time.
        const observers = types.map((type) => {
          const observer = new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) entries.push(entry.toJSON());
          });
          observer.observe({ type, buffered: true });
          return observer;
        });
        const intervals: number[] = [];
        let running = true;
        let last = performance.now();
        const frame = (at: number) => {
          intervals.push(at - last);
          last = at;
          if (running) requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
        const startedAt = performance.now();
        return {
          stop: () => {
            running = false;
            for (const observer of observers) {
              for (const entry of observer.takeRecords()) entries.push(entry.toJSON());
              observer.disconnect();
            }
            return { startedAt, entries, intervals };
          },
        };
      },
      ["longtask", "long-animation-frame"],
    );

    // The renderer's own account of main-thread time (seconds, cumulative), before and after.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const busy = async () => {
      const { metrics } = await cdp.send("Performance.getMetrics");
      const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      return { task: metric("TaskDuration"), script: metric("ScriptDuration") };
    };
    const busyBefore = await busy();
    const windowStarted = performance.now();
    const published = await publishChanges(server.url, token);
    const lastChange = published.at(-1);
    const lastBreaking = published.filter((item) => item.breaking).at(-1);
    if (lastChange === undefined || lastBreaking === undefined) throw new Error("nothing was published");
    await feed.getByRole("article", { name: lastChange.headline, exact: true }).waitFor();
    await page
      .getByRole("marquee", { name: "Breaking news" })
      .getByRole("link", { name: lastBreaking.headline, exact: true })
      .waitFor();
    const recorded = await recorder.evaluate((handle) => handle.stop());
    const busyAfter = await busy();
    const windowMs = performance.now() - windowStarted;
    const feedSize = await feed.getByRole("article").first().getAttribute("aria-setsize");

    const entries = recorded.entries.map((entry) => entrySchema.parse(entry));
    const tasks = entries.filter((entry) => entry.entryType === "longtask");
    const loadTasks = tasks.filter((entry) => entry.startTime < recorded.startedAt).map((e) => e.duration);
    const longTasks = tasks.filter((entry) => entry.startTime >= recorded.startedAt).map((e) => e.duration);
    const frames = entries.filter(
      (entry) => entry.entryType === "long-animation-frame" && entry.startTime >= recorded.startedAt,
    );
    const intervals = recorded.intervals.slice(1).sort((a, b) => a - b);
    const edits = published.filter((item) => item.version > 1).length;

    const rows: [string, string][] = [
      ["Items in the feed", `${lastPosition} loaded; ${feedSize} after the changes`],
      ["Load time (every older page)", ms(loadMs)],
      ["Long tasks while loading (count, max)", `${loadTasks.length}, ${ms(Math.max(...loadTasks))}`],
      ["Changes applied", `${published.length} (${published.length - edits} new, ${edits} edits)`],
      ["Long tasks (count, max)", `${longTasks.length}, ${ms(Math.max(...longTasks))}`],
      [
        "Long animation frames (count, max)",
        `${frames.length}, ${ms(Math.max(...frames.map((entry) => entry.duration)))}`,
      ],
      [
        "Main thread busy (all tasks / script)",
        `${ms(busyAfter.task - busyBefore.task)} / ${ms(busyAfter.script - busyBefore.script)} of ${ms(windowMs)}`,
      ],
      [
        "Frame interval p50 / p99 / max",
        `${percentile(intervals, 50).toFixed(1)} / ${percentile(intervals, 99).toFixed(1)} / ${(intervals.at(-1) ?? Number.NaN).toFixed(1)} ms`,
      ],
    ];
    process.stdout.write(
      `\n${RATE} changes a second for ${SECONDS} s on a ${ITEMS.toLocaleString("en")}-item feed (Chromium, headless, 1280×860)\n\n` +
        `| Measure | Value |\n| --- | --- |\n${rows.map(([name, value]) => `| ${name} | ${value} |`).join("\n")}\n\n`,
    );
    const holds = longTasks.every((duration) => duration <= LONG_TASK_MS);
    process.stdout.write(
      `Target "no long task over ${LONG_TASK_MS} ms while ${RATE} changes a second arrive on a ` +
        `${ITEMS.toLocaleString("en")}-item feed": ${holds ? "holds" : "does NOT hold"}.\n`,
    );
    const worst = frames.toSorted((a, b) => b.duration - a.duration)[0];
    if (worst !== undefined) {
      const scripts = worst.scripts
        .map((script) => `${script.invoker} ${script.sourceFunctionName} ${ms(script.duration)}`)
        .join("; ");
      process.stdout.write(`Longest frame's scripts: ${scripts || "none"}\n`);
    }
    if (pageErrors.length > 0) process.stdout.write(`Errors in the page: ${pageErrors.join("; ")}\n`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

await main();
