import { wireSourceSchema } from "../../shared/wires";
import { DESK_ADMIN_PASSWORD } from "../helpers/desk";
import { type FeedServer, serveDocument, startFeedServer } from "../helpers/feed-server";
import { atom, jsonFeed, rss } from "../wires/feeds";
import { expect, seriousViolations, test } from "./fixtures";
import { AdminPage } from "./pages/admin";
import { DashboardPage } from "./pages/dashboard";

/** Wires are fetched in the background (the poller's tick, then the screen's refresh): give them time. */
const WIRE = { timeout: 20_000 };

let feeds: FeedServer;
test.beforeAll(async () => {
  feeds = await startFeedServer();
});
test.afterAll(async () => {
  await feeds.close();
});

/**
 * Wire items take their place by their published time, and the browser tests share one server full
 * of other tests' items: entries dated just before this run land on the feed's first page.
 */
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const story = [
  {
    id: "urn:e2e:2",
    title: "Wire talks resume in Geneva",
    html: "<p>Delegations met.</p>",
    date: minutesAgo(1),
  },
  {
    id: "urn:e2e:1",
    title: "Wire ceasefire holds overnight",
    html: "<p>No shelling.</p>",
    date: minutesAgo(4),
  },
];

const agencyStory = [{ id: "urn:agency:port", title: "Agency wire: port reopens", date: minutesAgo(3) }];
const outletStory = [{ id: "urn:outlet:rail", title: "Outlet wire: trains run again", date: minutesAgo(2) }];

test("an admin follows three wires of three formats in the panel; they fill the timeline, and held entries reach Incoming live and are published or discarded by keyboard", async ({
  page,
  context,
  desk,
}) => {
  feeds.route("/ministry.atom", serveDocument(atom(story), "application/atom+xml"));
  const incoming = new AdminPage(page);
  await incoming.login("admin", DESK_ADMIN_PASSWORD);
  await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Incoming" }).click();
  await expect(page.getByRole("heading", { name: "Incoming" })).toBeVisible();
  const held = page.getByRole("feed", { name: "Held entries" });

  // A second tab of the same admin adds three wires of three formats; the first tab never reloads.
  feeds.route("/agency.rss", serveDocument(rss(agencyStory), "application/rss+xml"));
  feeds.route("/outlet.json", serveDocument(jsonFeed(outletStory), "application/feed+json"));
  const sourcesPage = await context.newPage();
  await sourcesPage.goto(`${desk.url}/admin/sources`);
  const addWire = async (path: string, name: string, mode: "Publish at once" | "Hold in Incoming") => {
    await sourcesPage.getByRole("textbox", { name: "Feed address" }).fill(`${feeds.url}${path}`);
    await sourcesPage.getByRole("textbox", { name: "Name", exact: true }).fill(name);
    await sourcesPage.getByRole("group", { name: "Topics" }).getByRole("checkbox", { name: "World" }).check();
    await sourcesPage.getByRole("radio", { name: mode }).check();
    await sourcesPage.getByRole("button", { name: "Add wire" }).click();
    await expect(sourcesPage.getByRole("status").filter({ hasText: `Added ${name}` })).toBeVisible();
    const row = sourcesPage.getByRole("listitem", { name });
    await expect(row.getByText("Healthy")).toBeVisible(WIRE);
    return row;
  };
  const row = await addWire("/ministry.atom", "Ministry", "Hold in Incoming");
  await expect(row.getByText("2 entries")).toBeVisible();
  await addWire("/agency.rss", "Agency", "Publish at once");
  await addWire("/outlet.json", "Outlet", "Publish at once");
  expect(await seriousViolations(sourcesPage)).toEqual([]);

  const talks = held.getByRole("article", { name: "Wire talks resume in Geneva" });
  await expect(talks).toBeVisible(WIRE);
  await expect(held.getByRole("article", { name: "Wire ceasefire holds overnight" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // Edited before publishing, then marked breaking and published, all by keyboard.
  await talks.getByRole("button", { name: /^Edit/ }).focus();
  await page.keyboard.press("Enter");
  await talks.getByRole("textbox", { name: "Headline" }).fill("Geneva talks resume");
  await talks.getByRole("checkbox", { name: /Breaking/ }).focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await expect(talks.getByRole("button", { name: /^Publish/ })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(
    page.getByRole("status").filter({ hasText: "Published “Geneva talks resume” as breaking." }),
  ).toBeVisible();
  await expect(talks).toHaveCount(0);

  const ceasefire = held.getByRole("article", { name: "Wire ceasefire holds overnight" });
  await ceasefire.getByRole("button", { name: /^Discard/ }).focus();
  await page.keyboard.press("Enter");
  await expect(ceasefire).toHaveCount(0);
  await expect(page.getByText("Nothing is waiting")).toBeVisible();

  // The audit log can be filtered to what was done with the wires, and a wire's line leads to it.
  await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Audit log" }).click();
  const log = page.getByRole("region", { name: "Audit log" });
  const entries = log.getByRole("row").filter({ has: page.getByRole("cell") });
  const only = async (action: string) => {
    await log.getByRole("combobox", { name: "Action" }).selectOption(action);
    await log.getByRole("button", { name: "Filter" }).click();
    await expect(entries.first()).toContainText(action);
    await expect(entries.filter({ hasNotText: action })).toHaveCount(0);
  };
  await only("incoming.published");
  await expect(entries.first()).toContainText("Wire talks resume in Geneva");
  await only("incoming.discarded");
  await expect(entries.first()).toContainText("Wire ceasefire holds overnight");
  await only("source.created");
  const added = entries.filter({ hasText: `Ministry <${feeds.url}/ministry.atom>` });
  await expect(added).toHaveCount(1);
  await added.getByRole("link").click();
  await expect(page).toHaveURL(/\/admin\/sources#source-/);
  await expect(page.getByRole("listitem", { name: "Ministry" })).toBeFocused();

  const dashboard = new DashboardPage(await context.newPage());
  await dashboard.open();
  // Found by search: each takes its place by its published time, which may be far down a feed
  // other tests have filled.
  const found = async (words: string, headline: string, count: number) => {
    await dashboard.search.fill(words);
    await expect(dashboard.article(headline)).toHaveCount(count);
  };
  await found("Geneva talks", "Geneva talks resume", 1);
  await found("ceasefire holds", "Wire ceasefire holds overnight", 0);
  await found("port reopens", "Agency wire: port reopens", 1);
  await found("trains run again", "Outlet wire: trains run again", 1);
});

test("the wire form says what to fix beside each bad field and focuses the first", async ({ page }) => {
  const admin = new AdminPage(page);
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Sources" }).click();
  await page.getByRole("textbox", { name: "Feed address" }).fill("ftp://agency.example/feed");
  await page.getByRole("textbox", { name: "Interval in seconds" }).fill("5");
  await page.getByRole("button", { name: "Add wire" }).click();
  const address = page.getByRole("textbox", { name: "Feed address" });
  await expect(address).toBeFocused();
  await expect(address).toHaveAccessibleDescription(/starting with https:\/\/ or http:\/\//);
  await expect(page.getByText("Write the wire's name")).toBeVisible();
  await expect(page.getByText("Choose at least one topic for the wire's items.")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Interval in seconds" })).toHaveAccessibleDescription(
    /from 30 to 86400/,
  );
});

test("an entry changed upstream shows as Updated on the dashboard", async ({ page, desk }) => {
  let body = rss([{ ...story[0], id: "urn:e2e:upd", title: "Wire bridge closed for repairs" }]);
  feeds.route("/agency.rss", (_req, res) =>
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(body),
  );
  const source = wireSourceSchema.parse(
    await desk.callAsAdmin("POST", "/api/sources", {
      url: `${feeds.url}/agency.rss`,
      name: "Agency",
      topics: ["world"],
      enabled: false,
    }),
  );
  await desk.callAsAdmin("POST", `/api/sources/${source.id}/poll`);
  const dashboard = new DashboardPage(page);
  // A reader searching for it: the item takes its place by its published time, maybe far down.
  await dashboard.open("?q=bridge+repairs");
  const article = dashboard.article("Wire bridge closed for repairs");
  await expect(article).toBeVisible();
  await expect(article.getByText(/Updated/)).toHaveCount(0);

  body = rss([{ ...story[0], id: "urn:e2e:upd", title: "Wire bridge closed for repairs until Friday" }]);
  await desk.callAsAdmin("POST", `/api/sources/${source.id}/poll`);
  const updated = dashboard.article("Wire bridge closed for repairs until Friday");
  await expect(updated).toBeVisible();
  await expect(updated.getByText(/Updated/)).toBeVisible();
});

test.describe("on a phone, with reduced motion", () => {
  test.use({ viewport: { width: 390, height: 844 }, reducedMotion: "reduce" });

  test("Sources and Incoming fit in 390px and stay accessible", async ({ page, desk }) => {
    feeds.route(
      "/phone.json",
      serveDocument(
        JSON.stringify({
          version: "https://jsonfeed.org/version/1.1",
          title: "Outlet",
          items: [
            {
              id: "urn:phone:1",
              title: "Phone wire: a rather long headline about the harbour reopening after the storm passed",
              content_html: "<p>Ships are queueing.</p>",
              url: "https://outlet.example/a-very-long-address/that-goes-on/and-on/harbour-reopens-after-storm",
            },
          ],
        }),
        "application/feed+json",
      ),
    );
    const source = wireSourceSchema.parse(
      await desk.callAsAdmin("POST", "/api/sources", {
        url: `${feeds.url}/phone.json`,
        name: "Outlet on a phone",
        topics: ["world"],
        mode: "hold",
        enabled: false,
      }),
    );
    await desk.callAsAdmin("POST", `/api/sources/${source.id}/poll`);
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    for (const [screen, landmark] of [
      ["Sources", page.getByRole("listitem", { name: "Outlet on a phone" })],
      ["Incoming", page.getByRole("article", { name: /^Phone wire/ })],
    ] as const) {
      await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: screen }).click();
      await expect(landmark).toBeVisible();
      for (const button of await landmark.getByRole("button").all()) {
        const box = await button.boundingBox();
        expect(
          box !== null && box.x >= 0 && box.x + box.width <= 390,
          `${screen}: a button is off screen`,
        ).toBe(true);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await seriousViolations(page)).toEqual([]);
    }
  });
});

test("removing a wire asks first, then takes its held entries with it", async ({ page, desk }) => {
  feeds.route(
    "/removed.rss",
    serveDocument(rss([{ id: "urn:rm:1", title: "Wire to be removed: entry" }]), "application/rss+xml"),
  );
  const source = wireSourceSchema.parse(
    await desk.callAsAdmin("POST", "/api/sources", {
      url: `${feeds.url}/removed.rss`,
      name: "Short-lived",
      topics: ["world"],
      mode: "hold",
      enabled: false,
    }),
  );
  await desk.callAsAdmin("POST", `/api/sources/${source.id}/poll`);
  const admin = new AdminPage(page);
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Sources" }).click();
  await page
    .getByRole("listitem", { name: "Short-lived" })
    .getByRole("button", { name: "Remove Short-lived" })
    .click();
  const dialog = page.getByRole("dialog", { name: "Stop following “Short-lived”?" });
  await expect(dialog).toContainText("Its entries waiting in Incoming go with it");
  await dialog.getByRole("button", { name: "Remove Short-lived" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Removed Short-lived." })).toBeVisible();
  await expect(page.getByRole("listitem", { name: "Short-lived" })).toHaveCount(0);
  await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Incoming" }).click();
  await expect(page.getByRole("heading", { name: "Incoming" })).toBeVisible();
  await expect(page.getByRole("article", { name: "Wire to be removed: entry" })).toHaveCount(0);
});
