import { test as base } from "@playwright/test";
import { z } from "zod";
import { type Item, itemSchema } from "../../shared/item";
import { DESK_ADMIN_PASSWORD, Desk } from "../helpers/desk";
import { expect, seriousViolations, test as withDesk } from "./fixtures";
import { AdminPage } from "./pages/admin";

/** How many items sit above the one an operator looks for. */
const NEWER = 2000;
/** A search goes to the server and 2,000 items were just written: give a loaded machine time. */
const SERVER = { timeout: 15_000 };

/**
 * A desk with history: two items written long ago (one disputed) under 2,000 newer ones, and three items to
 * filter by topic and status. Seeded through the API, many calls at once, before any test runs.
 */
async function deskWithHistory(): Promise<{ desk: Desk; old: Item }> {
  const desk = await Desk.start();
  const start = Date.now() - 6 * 60 * 60 * 1000;
  const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
  const old = await desk.publish({
    headline: "Archive test: harbour crane topples",
    summary: "Nobody was hurt.",
    publishedAt: at(0),
  });
  await desk.publish({
    headline: "Archive test: casualty figure disputed",
    verification: "disputed",
    publishedAt: at(0),
  });
  for (let first = 0; first < NEWER; first += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        desk.publish({ headline: `Newer item ${first + i}`, publishedAt: at(1 + (first + i) / 10) }),
      ),
    );
  }
  await desk.publish({ headline: "Filter test: lifeboat launched", topics: ["world"] });
  await desk.publish({ headline: "Filter test: lifeboat regatta", topics: ["sport"] });
  const recalled = await desk.publish({ headline: "Filter test: lifeboat recalled", topics: ["world"] });
  await desk.retract(recalled, "The lifeboat was never recalled.");
  return { desk, old };
}

const test = withDesk.extend<{ old: Item }, { history: { desk: Desk; old: Item } }>({
  history: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
    async ({}, use) => {
      const history = await deskWithHistory();
      await use(history);
      await history.desk.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
  baseURL: async ({ history }, use) => {
    await use(history.desk.url);
  },
  old: async ({ history }, use) => {
    await use(history.old);
  },
});

const itemById = async (desk: Desk, id: string) =>
  itemSchema.parse(await desk.call("GET", `/api/items/${id}`));

test.describe("the panel's list of items", () => {
  test("finds an item 2,000 back on the server, and edits, pins and retracts it there", async ({
    page,
    history,
    old,
  }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await admin.search.fill("harbour crane");
    const row = admin.row(old.headline);
    await expect(row).toBeVisible(SERVER);

    await row.getByRole("button", { name: /^Edit/ }).click();
    await admin.dialog
      .getByRole("textbox", { name: "Headline" })
      .fill("Archive test: harbour crane topples in gale");
    await admin.dialog.getByRole("button", { name: "Save" }).click();
    await expect(admin.dialog).toHaveCount(0);
    const edited = admin.row("Archive test: harbour crane topples in gale");
    await expect(edited).toBeVisible();

    await edited.getByRole("button", { name: /^Pin/ }).click();
    await expect(edited.getByRole("button", { name: /^Unpin/ })).toBeVisible();
    await expect(edited.getByText("Pinned", { exact: true })).toBeVisible();

    await edited.getByRole("button", { name: /^Retract/ }).click();
    await admin.dialog.getByRole("textbox", { name: "Reason" }).fill("The crane is standing.");
    await admin.dialog.getByRole("button", { name: "Retract" }).click();
    await expect(edited.getByText("Retracted", { exact: true })).toBeVisible();

    expect(await itemById(history.desk, old.id)).toMatchObject({
      headline: "Archive test: harbour crane topples in gale",
      status: "retracted",
      retractionReason: "The crane is standing.",
      version: 4,
    });
  });

  test("says when nothing matches, filters by status and topic, and pages to older items", async ({
    page,
  }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    const rows = admin.items.getByRole("listitem");
    // Each row's text starts with its headline.
    const headlines = (...expected: string[]) =>
      expect(rows).toHaveText(
        expected.map((headline) => new RegExp(`^${headline}`)),
        SERVER,
      );

    await admin.search.fill("zanzibar quokka");
    await expect(admin.items).toContainText("No items match “zanzibar quokka”.", SERVER);
    await expect(rows).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);

    await admin.search.fill("lifeboat");
    await headlines(
      "Filter test: lifeboat recalled",
      "Filter test: lifeboat regatta",
      "Filter test: lifeboat launched",
    );
    await admin.statusFilter.selectOption({ label: "Retracted only" });
    await headlines("Filter test: lifeboat recalled");
    await admin.statusFilter.selectOption({ label: "Live items only" });
    await headlines("Filter test: lifeboat regatta", "Filter test: lifeboat launched");
    await admin.topicFilter.selectOption({ label: "Sport" });
    await headlines("Filter test: lifeboat regatta");
    await admin.statusFilter.selectOption({ label: "Retracted only" });
    await expect(admin.items).toContainText(
      "No items match “lifeboat” in Sport among retracted items.",
      SERVER,
    );

    await admin.topicFilter.selectOption({ label: "All topics" });
    await admin.statusFilter.selectOption({ label: "All items" });
    await admin.search.fill("");
    await expect(rows).toHaveCount(50, SERVER);
    await admin.loadMore.click();
    await expect(rows).toHaveCount(100, SERVER);
    await expect(rows.nth(99)).toContainText("Newer item");
  });

  test("filters by verification on the server, finding a disputed item 2,000 back", async ({ page }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    const rows = admin.items.getByRole("listitem");
    await expect(rows).toHaveCount(50, SERVER);
    await admin.verificationFilter.selectOption({ label: "Disputed" });
    await expect(rows).toHaveText([/^Archive test: casualty figure disputed/], SERVER);
    await expect(rows.first().getByText("Disputed", { exact: true })).toBeVisible();
    await admin.verificationFilter.selectOption({ label: "Confirmed" });
    await expect(admin.items).toContainText("No items match", SERVER);
  });

  test("keeps live changes on what it shows: a new match appears, an edited row changes", async ({
    page,
    history,
  }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await admin.search.fill("quayside");
    await expect(admin.items).toContainText("No items match “quayside”.", SERVER);
    const arrived = await history.desk.publish({ headline: "Live test: quayside flooded" });
    await expect(admin.row("Live test: quayside flooded")).toBeVisible(SERVER);
    await history.desk.edit(arrived, { headline: "Live test: quayside flooded at high tide" });
    await expect(admin.row("Live test: quayside flooded at high tide")).toBeVisible(SERVER);
    await expect(admin.row("Live test: quayside flooded")).toHaveCount(0);
  });
});

test.describe("the panel on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("fits the list and its filters in 390px, and keeps the connection state in sight down the list", async ({
    page,
  }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await expect(admin.items.getByRole("listitem")).toHaveCount(50, SERVER);
    for (const control of [admin.search, admin.topicFilter, admin.statusFilter]) {
      const box = await control.boundingBox();
      expect(box !== null && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await admin.loadMore.scrollIntoViewIfNeeded();
    await expect(admin.connection).toBeInViewport();
    await expect(admin.connection).toContainText("Live");
  });
});

test.describe("operators' roles", () => {
  test("asks before changing a role or disabling, naming the operator and what follows", async ({
    page,
    history,
  }) => {
    await history.desk.createOperator("nightdesk", "nightdesk-password", "editor");
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Operators" }).click();
    const role = page.getByRole("combobox", { name: "Role of nightdesk" });
    const nightdesk = async () =>
      z
        .array(z.object({ username: z.string(), role: z.string(), disabled: z.boolean() }))
        .parse(await history.desk.call("GET", "/api/operators", undefined, await adminHeaders(history.desk)))
        .find((operator) => operator.username === "nightdesk");

    await role.selectOption("admin");
    const promote = page.getByRole("dialog", { name: "Make nightdesk an admin?" });
    await expect(promote).toContainText("manage topics and API tokens");
    expect(await seriousViolations(page)).toEqual([]);
    await promote.getByRole("button", { name: "Cancel" }).click();
    await expect(promote).toHaveCount(0);
    await expect(role).toHaveValue("editor");
    expect(await nightdesk()).toMatchObject({ role: "editor" });

    await role.selectOption("admin");
    await promote.getByRole("button", { name: "Make nightdesk admin" }).click();
    await expect(page.getByRole("status").filter({ hasText: "nightdesk is now admin." })).toBeVisible();
    await expect(role).toHaveValue("admin");

    await page.getByRole("button", { name: "Disable nightdesk" }).click();
    const disable = page.getByRole("dialog", { name: "Disable nightdesk?" });
    await expect(disable).toContainText("logged out at once");
    await page.keyboard.press("Escape");
    await expect(disable).toHaveCount(0);
    expect(await nightdesk()).toMatchObject({ role: "admin", disabled: false });
    await page.getByRole("button", { name: "Disable nightdesk" }).click();
    await disable.getByRole("button", { name: "Disable nightdesk" }).click();
    await expect(page.getByRole("row", { name: /nightdesk/ })).toContainText("disabled");
    expect(await nightdesk()).toMatchObject({ role: "admin", disabled: true });
  });
});

/** Logs in as the desk's admin over HTTP, for the admin API calls a test checks with. */
async function adminHeaders(desk: Desk): Promise<Record<string, string>> {
  const login = await fetch(`${desk.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: DESK_ADMIN_PASSWORD }),
  });
  const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await login.json());
  return { cookie: (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "", "x-csrf-token": csrfToken };
}

test.describe("the audit log", () => {
  test("pages through thousands of entries, filters them, and links each to what changed", async ({
    page,
    history,
  }) => {
    const item = await history.desk.publish({ headline: "Audit link test: tram depot opens" });
    const edited = await history.desk.edit(item, { summary: "Twelve trams fit inside." });
    await history.desk.edit(edited, { verification: "confirmed" });
    await history.desk.createOperator("auditee", "auditee-password", "editor");
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Audit log" }).click();
    const log = page.getByRole("region", { name: "Audit log" });
    const entries = log.getByRole("row").filter({ has: page.getByRole("cell") });

    await expect(entries).toHaveCount(100, SERVER);
    expect(await seriousViolations(page)).toEqual([]);
    await log.getByRole("button", { name: "Load older entries" }).click();
    await expect(entries).toHaveCount(200, SERVER);

    await log.getByRole("textbox", { name: "Target" }).fill(item.id);
    await log.getByRole("button", { name: "Filter" }).click();
    await expect(entries).toHaveCount(3, SERVER);
    // A change of verification is an action of its own, with the state it set.
    await expect(entries.nth(0)).toContainText("item.verification");
    await expect(entries.nth(0)).toContainText("Confirmed: Audit link test: tram depot opens");
    await expect(entries.nth(1)).toContainText("item.updated");
    await expect(entries.nth(2)).toContainText("item.created");
    await expect(page).toHaveURL(new RegExp(`/admin/audit\\?target=${item.id}$`));

    await log.getByRole("textbox", { name: "Target" }).fill("");
    await log.getByRole("textbox", { name: "Who" }).fill("admin");
    await log.getByRole("combobox", { name: "Action" }).selectOption("operator.created");
    await log.getByRole("button", { name: "Filter" }).click();
    const created = entries.filter({ hasText: "auditee" });
    await expect(created).toHaveCount(1, SERVER);
    await expect(entries.filter({ hasNotText: "operator.created" })).toHaveCount(0);

    await created.getByRole("link", { name: "auditee" }).click();
    await expect(page).toHaveURL(/\/admin\/operators#operator-auditee$/);
    await expect(page.getByRole("row", { name: /auditee/ })).toBeFocused();

    await page.goBack();
    await log.getByRole("textbox", { name: "Who" }).fill("");
    await log.getByRole("combobox", { name: "Action" }).selectOption("");
    await log.getByRole("textbox", { name: "Target" }).fill("no-such-target");
    await log.getByRole("button", { name: "Filter" }).click();
    await expect(log).toContainText("No entries match these filters.", SERVER);

    // Back shows the filter of the page before, in the form as in the log; an action the desk does
    // not record (an old link's) is left out rather than refused.
    const action = log.getByRole("combobox", { name: "Action" });
    await log.getByRole("textbox", { name: "Target" }).fill("");
    await action.selectOption("item.updated");
    await log.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/\/admin\/audit\?action=item\.updated$/);
    await action.selectOption("operator.created");
    await log.getByRole("button", { name: "Filter" }).click();
    await expect(entries.filter({ hasNotText: "operator.created" })).toHaveCount(0, SERVER);
    await page.goBack();
    await expect(action).toHaveValue("item.updated");
    await expect(entries.first()).toContainText("item.updated", SERVER);
    await expect(entries.filter({ hasNotText: "item.updated" })).toHaveCount(0);
    await page.goto("/admin/audit?action=item.published");
    await expect(action).toHaveValue("");
    await expect(entries).toHaveCount(100, SERVER);
    await expect(log.getByRole("alert")).toHaveCount(0);

    await page.goto(`/admin/audit?target=${item.id}`);
    await entries.first().getByRole("link", { name: item.id }).click();
    await expect(page).toHaveURL(new RegExp(`/items/${item.id}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit link test: tram depot opens");
  });
});

base.describe("the panel's connection", () => {
  base(
    "shows when the connection drops and catches up with what was published meanwhile",
    async ({ browser }) => {
      base.setTimeout(90_000);
      // A desk of its own: this one goes down.
      const desk = await Desk.start();
      const context = await browser.newContext({ baseURL: desk.url });
      const errors: string[] = [];
      try {
        const page = await context.newPage();
        page.on("pageerror", (error) => errors.push(error.message));
        const admin = new AdminPage(page);
        await admin.login("admin", DESK_ADMIN_PASSWORD);
        await expect(admin.connection).toContainText("Live");
        await desk.publish({ headline: "Outage test: before" });
        await expect(admin.row("Outage test: before")).toBeVisible(SERVER);

        await desk.kill();
        await expect(admin.connection).toContainText("reconnecting", SERVER);
        await expect(admin.connection).toContainText("may be out of date");
        await desk.restart();
        await desk.publish({ headline: "Outage test: published while the panel was away" });
        await expect(admin.connection).toContainText("Live", { timeout: 40_000 });
        await expect(admin.row("Outage test: published while the panel was away")).toBeVisible(SERVER);
        await expect(admin.row("Outage test: before")).toHaveCount(1);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
        await desk.stop();
      }
    },
  );
});
