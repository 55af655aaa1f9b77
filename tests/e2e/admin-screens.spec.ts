import { test as base } from "@playwright/test";
import { itemSchema } from "../../shared/item";
import { NOTE_MAX } from "../../shared/limits";
import { DESK_ADMIN_PASSWORD, Desk } from "../helpers/desk";
import { expect, seriousViolations, test } from "./fixtures";
import { AdminPage } from "./pages/admin";

/** Reads go to the server; give a loaded machine time. */
const SERVER = { timeout: 15_000 };

async function openScreen(admin: AdminPage, name: string): Promise<void> {
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  await admin.page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name }).click();
}

/** Whether `password` logs `username` in, asked over HTTP the way every client asks. */
async function logsIn(desk: Desk, username: string, password: string): Promise<boolean> {
  const answer = await fetch(`${desk.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  return answer.ok;
}

test.describe("the retract dialog", () => {
  test("says what to fix beside the reason, focuses it, and asks before a written reason is lost", async ({
    page,
    desk,
  }) => {
    const item = await desk.publish({ headline: "Retract words test: ferry delayed" });
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await admin
      .row("Retract words test: ferry delayed")
      .getByRole("button", { name: /^Retract/ })
      .click();
    const dialog = page.getByRole("dialog", { name: "Retract “Retract words test: ferry delayed”?" });
    const reason = dialog.getByRole("textbox", { name: "Reason" });
    const retract = dialog.getByRole("button", { name: "Retract", exact: true });

    await retract.click();
    await expect(reason).toBeFocused();
    await expect(reason).toHaveAccessibleDescription(/Write the reason readers will see/);

    // A reason only the server's limit refuses: the words are the panel's, not the API's.
    await reason.fill("x".repeat(NOTE_MAX + 1));
    await retract.click();
    await expect(reason).toHaveAccessibleDescription(
      `Shorten the reason to ${NOTE_MAX} characters or fewer.`,
    );
    await expect(reason).toBeFocused();
    await expect(dialog).not.toContainText("bad field");

    await reason.fill("The ferry left on time.");
    const ask = page.getByRole("alertdialog", { name: "Discard your changes?" });
    await reason.press("Escape");
    await expect(ask).toBeVisible();
    await expect(ask.getByRole("button", { name: "Keep editing" })).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
    await ask.getByRole("button", { name: "Keep editing" }).click();
    await expect(reason).toHaveValue("The ferry left on time.");

    await dialog.getByRole("button", { name: "Cancel" }).click();
    await ask.getByRole("button", { name: "Discard changes" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    expect(itemSchema.parse(await desk.call("GET", `/api/items/${item.id}`)).status).toBe("published");

    // Nothing written: Cancel closes at once.
    await admin
      .row("Retract words test: ferry delayed")
      .getByRole("button", { name: /^Retract/ })
      .click();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(ask).toHaveCount(0);
  });
});

test.describe("the admin screens' forms", () => {
  test("topics: plain words beside each bad field, focus on the first, 'taken' said so", async ({ page }) => {
    const admin = new AdminPage(page);
    await openScreen(admin, "Topics");
    const slug = page.getByRole("textbox", { name: "Slug" });
    const name = page.getByRole("textbox", { name: "Name", exact: true });
    const add = page.getByRole("button", { name: "Add topic" });

    await slug.fill("World Cup!");
    await add.click();
    await expect(slug).toBeFocused();
    await expect(slug).toHaveAccessibleDescription(
      /Use only lower-case letters and digits, joined by single hyphens/,
    );
    await expect(name).toHaveAccessibleDescription("Write the name readers will see.");
    expect(await seriousViolations(page)).toEqual([]);

    // Only the server knows the slug is taken.
    await slug.fill("world");
    await name.fill("World again");
    await add.click();
    await expect(slug).toHaveAccessibleDescription(
      /Another topic has this slug already: choose a different one\./,
      SERVER,
    );
    await expect(slug).toBeFocused();
    await expect(
      page.getByRole("status").filter({ hasText: "Not added yet: check the slug above." }),
    ).toBeVisible();
    await expect(page.getByText(/exists already|is taken|bad field/)).toHaveCount(0);
  });

  test("operators: a short username and password are said in plain words, the username focused", async ({
    page,
    desk,
  }) => {
    await desk.createOperator("takenname", "takenname-password", "editor");
    const admin = new AdminPage(page);
    await openScreen(admin, "Operators");
    const form = page.getByRole("button", { name: "Add operator" });
    const username = page.getByRole("textbox", { name: "Username" });
    const password = page.getByLabel("Password", { exact: true });

    await username.fill("x");
    await password.fill("short");
    await form.click();
    await expect(username).toBeFocused();
    await expect(username).toHaveAccessibleDescription("Write a username of at least 2 characters.");
    await expect(password).toHaveAccessibleDescription(/Choose a password of at least 10 characters\./);

    await username.fill("takenname");
    await password.fill("a-long-enough-password");
    await form.click();
    await expect(username).toHaveAccessibleDescription(
      "Someone has this username already: choose another.",
      SERVER,
    );
    await expect(username).toBeFocused();
    await expect(page.getByText(/is taken|bad field/)).toHaveCount(0);
  });

  test("tokens: a missing name is said in plain words beside the field, which takes focus", async ({
    page,
  }) => {
    const admin = new AdminPage(page);
    await openScreen(admin, "API tokens");
    const name = page.getByRole("textbox", { name: "Name", exact: true });
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(name).toBeFocused();
    await expect(name).toHaveAccessibleDescription(/Write who uses the token/);
  });
});

test.describe("changes that cut someone off ask first", () => {
  test("revoking a token asks in the panel's dialog, naming what stops working", async ({ page }) => {
    const admin = new AdminPage(page);
    await openScreen(admin, "API tokens");
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Revoke test wire");
    await page.getByRole("button", { name: "Create token" }).click();
    const row = page.getByRole("row", { name: /Revoke test wire/ });
    await expect(row).toContainText("active", SERVER);

    await row.getByRole("button", { name: "Revoke Revoke test wire" }).click();
    const ask = page.getByRole("dialog", { name: "Revoke the token “Revoke test wire”?" });
    await expect(ask).toContainText("will be refused at once");
    expect(await seriousViolations(page)).toEqual([]);
    await ask.getByRole("button", { name: "Cancel" }).click();
    await expect(ask).toHaveCount(0);
    await expect(row).toContainText("active");

    await row.getByRole("button", { name: "Revoke Revoke test wire" }).click();
    await ask.getByRole("button", { name: "Revoke Revoke test wire" }).click();
    await expect(row).toContainText("revoked", SERVER);
  });

  test("resetting a password asks first, saying the operator is logged out everywhere", async ({
    page,
    desk,
  }) => {
    await desk.createOperator("resetee", "resetee-old-password", "editor");
    const admin = new AdminPage(page);
    await openScreen(admin, "Operators");
    const field = page.getByLabel("New password for resetee");
    const reset = page.getByRole("button", { name: "Reset password of resetee" });

    await field.fill("short");
    await reset.click();
    await expect(field).toBeFocused();
    await expect(field).toHaveAccessibleDescription("Choose a password of at least 10 characters.");

    await field.fill("resetee-new-password");
    await reset.click();
    const ask = page.getByRole("dialog", { name: "Reset the password of resetee?" });
    await expect(ask).toContainText("logged out at once, everywhere");
    await ask.getByRole("button", { name: "Cancel" }).click();
    await expect(ask).toHaveCount(0);
    expect(await logsIn(desk, "resetee", "resetee-old-password")).toBe(true);

    await reset.click();
    await ask.getByRole("button", { name: "Reset password of resetee" }).click();
    await expect(
      page
        .getByRole("status")
        .filter({ hasText: "New password set for resetee; their sessions have ended." }),
    ).toBeVisible(SERVER);
    expect(await logsIn(desk, "resetee", "resetee-new-password")).toBe(true);
    expect(await logsIn(desk, "resetee", "resetee-old-password")).toBe(false);
  });
});

test.describe("who is here", () => {
  test("names the item another operator edits even when it is far older than the newest items", async ({
    page,
    browser,
    desk,
  }) => {
    test.setTimeout(90_000);
    const long = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString();
    await desk.publish({ headline: "Presence test: lighthouse relit", publishedAt: long });
    // Enough newer items that the old one is not among those a browser holds.
    for (let batch = 0; batch < 3; batch += 1) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => desk.publish({ headline: `Presence filler ${batch * 50 + i}` })),
      );
    }
    await desk.createOperator("dayeditor", "dayeditor-password", "editor");
    const watcher = new AdminPage(page);
    await watcher.login("admin", DESK_ADMIN_PASSWORD);

    const context = await browser.newContext({ baseURL: desk.url });
    try {
      const editor = new AdminPage(await context.newPage());
      await editor.login("dayeditor", "dayeditor-password");
      await editor.search.fill("lighthouse relit");
      await editor
        .row("Presence test: lighthouse relit")
        .getByRole("button", { name: /^Edit/ })
        .click(SERVER);
      await expect(editor.dialog).toBeVisible();

      const here = page.getByRole("list", { name: "Operators in the panel" });
      await expect(here.getByRole("listitem").filter({ hasText: "dayeditor" })).toHaveText(
        "dayeditor — editing “Presence test: lighthouse relit”",
        SERVER,
      );
    } finally {
      await context.close();
    }
  });
});

base.describe("the panel's connection", () => {
  base("offers Retry now while disconnected, and it brings the panel back", async ({ browser }) => {
    base.setTimeout(90_000);
    // A desk of its own: this one goes down.
    const desk = await Desk.start();
    const context = await browser.newContext({ baseURL: desk.url });
    try {
      const admin = new AdminPage(await context.newPage());
      await admin.login("admin", DESK_ADMIN_PASSWORD);
      await expect(admin.connection).toContainText("Live");
      const retry = admin.page.getByRole("button", { name: "Retry now" });
      await expect(retry).toHaveCount(0);

      await desk.kill();
      await expect(admin.connection).toContainText("reconnecting", SERVER);
      await expect(retry).toBeVisible();
      // Tried while the server is still away: the panel says so and keeps offering it.
      await retry.focus();
      await retry.press("Enter");
      await expect(admin.connection).toContainText(/reconnecting|Offline/);
      await expect(retry).toBeFocused();
      await desk.restart();
      await expect(admin.connection).toContainText("Live", { timeout: 40_000 });
      await expect(retry).toHaveCount(0);
      // The keyboard user keeps their place on the connection state.
      await expect(admin.connection).toBeFocused();
    } finally {
      await context.close();
      await desk.stop();
    }
  });
});
