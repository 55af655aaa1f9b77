import { z } from "zod";
import { DESK_ADMIN_PASSWORD } from "../helpers/desk";
import { expect, openReader, seriousViolations, test } from "./fixtures";
import { AdminPage } from "./pages/admin";

const LIVE = { timeout: 1000 };

test.describe("the operator panel", () => {
  test("says what is wrong with a bad login, then logs in", async ({ page }) => {
    await page.goto("/admin");
    await page.getByRole("textbox", { name: "Username" }).fill("admin");
    await page.getByRole("textbox", { name: "Password" }).fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert")).toHaveText("The username or password is wrong.");
    await page.getByRole("textbox", { name: "Password" }).fill(DESK_ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  });

  test("publishes with Ctrl+Enter to a reader's feed and ticker within a second", async ({
    page,
    browser,
    desk,
  }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    const { reader, context } = await openReader(browser, desk.url);
    try {
      await admin.headline.fill("Panel test: bridge reopens early");
      await admin.summary.fill("Engineers finished two days ahead of plan.");
      await admin.topic("World").check();
      await admin.breaking.check();
      await expect(page.getByRole("region", { name: "Preview" })).toContainText(
        "Panel test: bridge reopens early",
      );
      await admin.summary.press("Control+Enter");
      await expect(reader.article("Panel test: bridge reopens early")).toBeVisible(LIVE);
      await expect(reader.tickerHeadline("Panel test: bridge reopens early")).toBeVisible(LIVE);
      await expect(page.getByRole("status").filter({ hasText: "Published" })).toBeVisible();
      await expect(admin.headline).toHaveValue("");
      await expect(admin.row("Panel test: bridge reopens early")).toBeVisible();
    } finally {
      await context.close();
    }
  });

  test("publishes once however often Publish is pressed", async ({ page, desk }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await admin.headline.fill("Double test: one item only");
    await admin.topic("Sport").check();
    await admin.publish.dblclick();
    await admin.headline.press("Control+Enter");
    await expect(admin.row("Double test: one item only")).toHaveCount(1);
    const page1 = z
      .object({ items: z.array(z.object({ headline: z.string() })) })
      .parse(await desk.call("GET", "/api/items?q=double&limit=200"));
    expect(page1.items.filter((item) => item.headline === "Double test: one item only")).toHaveLength(1);
  });

  test("says what to fix next to each field and keeps the draft across a reload", async ({ page }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await admin.headline.fill("Draft test: kept");
    await admin.link.fill("ftp://example.org/file");
    await admin.publish.click();
    await expect(admin.link).toHaveAttribute("aria-invalid", "true");
    await expect(admin.link).toHaveAccessibleDescription(/Enter a full web address starting with https:/);
    await expect(page.getByText("Choose at least one topic.")).toBeVisible();
    await page.reload();
    await expect(admin.headline).toHaveValue("Draft test: kept");
    await expect(admin.link).toHaveValue("ftp://example.org/file");
  });

  test("keeps the draft when the session ends, and publishes it after logging in again", async ({
    page,
    context,
  }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await admin.headline.fill("Expiry test: written before the session ended");
    await admin.topic("World").check();
    await context.clearCookies();
    await admin.publish.click();
    await expect(page.getByRole("alert")).toContainText("Your session has ended");
    await page.getByRole("textbox", { name: "Username" }).fill("admin");
    await page.getByRole("textbox", { name: "Password" }).fill(DESK_ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(admin.headline).toHaveValue("Expiry test: written before the session ended");
    await admin.publish.click();
    await expect(admin.row("Expiry test: written before the session ended")).toBeVisible();
  });

  test("a correction shows on the reader's page with its note, a retraction as a tombstone", async ({
    page,
    browser,
    desk,
  }) => {
    await desk.publish({ headline: "Correction test: minister resings" });
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    const { reader, context } = await openReader(browser, desk.url);
    try {
      await admin.row("Correction test: minister resings").getByRole("button", { name: /^Edit/ }).click();
      await admin.dialog.getByRole("textbox", { name: "Headline" }).fill("Correction test: minister resigns");
      await admin.dialog.getByRole("radio", { name: /Correction/ }).check();
      await admin.dialog.getByRole("button", { name: "Save" }).click();
      await expect(admin.dialog.getByText("A correction needs a note")).toBeVisible();
      await admin.dialog
        .getByRole("textbox", { name: "Correction note" })
        .fill("The headline misspelt resigns.");
      await admin.dialog.getByRole("button", { name: "Save" }).click();
      await expect(admin.dialog).toHaveCount(0);
      const article = reader.article("Correction test: minister resigns");
      await expect(article).toContainText("Correction: The headline misspelt resigns.", LIVE);

      await admin
        .row("Correction test: minister resigns")
        .getByRole("button", { name: /^Retract/ })
        .click();
      await admin.dialog.getByRole("button", { name: "Retract" }).click();
      await expect(admin.dialog.getByText("Write the reason readers will see")).toBeVisible();
      await admin.dialog.getByRole("textbox", { name: "Reason" }).fill("The minister has not resigned.");
      await admin.dialog.getByRole("button", { name: "Retract" }).click();
      await expect(article).toContainText("This item was retracted.", LIVE);
      await expect(article).toContainText("The minister has not resigned.");
      await expect(
        admin.row("Correction test: minister resigns").getByText("Retracted", { exact: true }),
      ).toBeVisible();
    } finally {
      await context.close();
    }
  });

  test("pins and unpins an item from the live list", async ({ page, browser, desk }) => {
    await desk.publish({ headline: "Pin test: road closures" });
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    const { reader, context } = await openReader(browser, desk.url);
    try {
      await admin.row("Pin test: road closures").getByRole("button", { name: /^Pin/ }).click();
      const pinned = reader.page.getByRole("region", { name: "Pinned" });
      await expect(pinned.getByRole("article", { name: "Pin test: road closures" })).toBeVisible(LIVE);
      await admin
        .row("Pin test: road closures")
        .getByRole("button", { name: /^Unpin/ })
        .click();
      await expect(reader.article("Pin test: road closures")).toBeVisible(LIVE);
    } finally {
      await context.close();
    }
  });

  test("shows two editors their conflict and applies the second change on top of the first", async ({
    page,
    browser,
    desk,
  }) => {
    await desk.publish({ headline: "Conflict test: storm nears", summary: "Winds rise." });
    const first = new AdminPage(page);
    await first.login("admin", DESK_ADMIN_PASSWORD);
    await desk.createOperator("second", "second-password", "editor");
    const otherContext = await browser.newContext({ baseURL: desk.url });
    const second = new AdminPage(await otherContext.newPage());
    try {
      await second.login("second", "second-password");
      await first.row("Conflict test: storm nears").getByRole("button", { name: /^Edit/ }).click();
      await second.row("Conflict test: storm nears").getByRole("button", { name: /^Edit/ }).click();
      await expect(first.page.getByRole("list", { name: "Operators in the panel" })).toContainText(
        "second — editing “Conflict test: storm nears”",
      );

      await first.dialog
        .getByRole("textbox", { name: "Headline" })
        .fill("Conflict test: storm makes landfall");
      await first.dialog.getByRole("button", { name: "Save" }).click();
      await expect(first.dialog).toHaveCount(0);

      await second.dialog
        .getByRole("textbox", { name: "Summary" })
        .fill("Winds reach 120 km/h; ferries stop.");
      await second.dialog.getByRole("button", { name: "Save" }).click();
      const conflict = second.dialog.getByRole("region", {
        name: /changed this item while you were editing/,
      });
      await expect(conflict).toContainText("Conflict test: storm makes landfall");
      await expect(conflict).toContainText("Winds reach 120 km/h; ferries stop.");
      await conflict.getByRole("button", { name: "Apply my changes on top" }).click();
      await expect(second.dialog).toHaveCount(0);

      const item = z
        .object({
          items: z.array(z.object({ headline: z.string(), summary: z.string(), version: z.number() })),
        })
        .parse(await desk.call("GET", "/api/items?q=conflict%20test&limit=5")).items[0];
      expect(item).toEqual({
        headline: "Conflict test: storm makes landfall",
        summary: "Winds reach 120 km/h; ferries stop.",
        version: 3,
      });
    } finally {
      await otherContext.close();
    }
  });

  test("lets an admin create an editor and a token; the editor reaches no admin screen and the token dies on revoke", async ({
    page,
    browser,
    desk,
  }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Operators" }).click();
    await page.getByRole("textbox", { name: "Username", exact: true }).fill("reporter");
    await page.getByRole("textbox", { name: "Password", exact: true }).fill("reporter-password");
    await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("editor");
    await page.getByRole("button", { name: "Add operator" }).click();
    await expect(page.getByRole("row", { name: /reporter/ })).toBeVisible();

    await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "API tokens" }).click();
    await page.getByRole("textbox", { name: "Name" }).fill("Agency wire");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByRole("status", { name: "New token" }).textContent()) ?? "";
    expect(token).toMatch(/^ldk_/);
    const post = (bearer: string) =>
      fetch(`${desk.url}/api/items`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: JSON.stringify({ headline: "Token test", topics: ["world"] }),
      }).then((response) => response.status);
    expect(await post(token)).toBe(201);
    await page
      .getByRole("row", { name: /Agency wire/ })
      .getByRole("button", { name: /Revoke/ })
      .click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: /^Revoke/ })
      .click();
    await expect(page.getByRole("row", { name: /Agency wire/ })).toContainText("revoked");
    expect(await post(token)).toBe(401);

    const editorContext = await browser.newContext({ baseURL: desk.url });
    try {
      const editor = new AdminPage(await editorContext.newPage());
      await editor.login("reporter", "reporter-password");
      const nav = editor.page.getByRole("navigation", { name: "Panel" });
      await expect(nav.getByRole("link", { name: "Desk" })).toBeVisible();
      for (const screen of ["Topics", "Operators", "API tokens", "Audit log"]) {
        await expect(nav.getByRole("link", { name: screen })).toHaveCount(0);
      }
      await editor.page.goto("/admin/operators");
      await expect(editor.page.getByRole("alert")).toHaveText("This screen is for admins.");
      for (const path of ["/api/operators", "/api/tokens", "/api/audit"]) {
        expect((await editor.page.request.get(path)).status()).toBe(403);
      }
    } finally {
      await editorContext.close();
    }
  });

  test("lets an admin rename a topic, change a role, reset a password and disable an operator", async ({
    page,
    browser,
    desk,
  }) => {
    await desk.createOperator("deskhand", "deskhand-password", "editor");
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    const nav = page.getByRole("navigation", { name: "Panel" });

    await nav.getByRole("link", { name: "Topics" }).click();
    await page.getByRole("textbox", { name: "Name of weather" }).fill("Weather and climate");
    await page.getByRole("button", { name: "Rename weather" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Renamed." })).toBeVisible();
    await page.getByRole("textbox", { name: "Slug" }).fill("science");
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Science");
    await page.getByRole("button", { name: "Add topic" }).click();
    await expect(page.getByRole("textbox", { name: "Name of science" })).toHaveValue("Science");

    await nav.getByRole("link", { name: "Operators" }).click();
    await page.getByRole("combobox", { name: "Role of deskhand" }).selectOption("admin");
    await page.getByRole("dialog").getByRole("button", { name: "Make deskhand admin" }).click();
    await expect(page.getByRole("status").filter({ hasText: "deskhand is now admin." })).toBeVisible();
    await page.getByRole("textbox", { name: "New password for deskhand" }).fill("a-fresh-password");
    await page.getByRole("button", { name: "Reset password of deskhand" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Reset password of deskhand" }).click();
    await expect(page.getByRole("status").filter({ hasText: "New password set for deskhand" })).toBeVisible();

    const otherContext = await browser.newContext({ baseURL: desk.url });
    try {
      const deskhand = new AdminPage(await otherContext.newPage());
      await deskhand.login("deskhand", "a-fresh-password");
      await expect(
        deskhand.page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Operators" }),
      ).toBeVisible();

      await page.getByRole("button", { name: "Disable deskhand" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Disable deskhand" }).click();
      await expect(page.getByRole("row", { name: /deskhand/ })).toContainText("disabled");
      await deskhand.headline.fill("Written after being disabled");
      await deskhand.topic("World").check();
      await deskhand.publish.click();
      await expect(deskhand.page.getByRole("alert")).toContainText("Your session has ended");
    } finally {
      await otherContext.close();
    }
  });

  test("keeps an audit log an admin can read", async ({ page, desk }) => {
    await desk.publish({ headline: "Audit test: recorded" });
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("row", { name: /item\.created.*Audit test: recorded/ })).toBeVisible();
  });

  test("has no serious or critical accessibility violations on the login page and the panel", async ({
    page,
  }) => {
    await page.goto("/admin");
    await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await expect(admin.items.getByRole("listitem").first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await admin.items.getByRole("button", { name: /^Edit/ }).first().click();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("works with the keyboard alone: log in, write, publish", async ({ page }) => {
    await page.goto("/admin");
    await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("textbox", { name: "Username" })).toBeFocused();
    await page.keyboard.type("admin");
    await page.keyboard.press("Tab");
    await page.keyboard.type(DESK_ADMIN_PASSWORD);
    await page.keyboard.press("Enter");
    const admin = new AdminPage(page);
    await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
    await admin.headline.focus();
    await page.keyboard.type("Keyboard panel test: all by keys");
    await page.keyboard.press("Tab"); // Summary
    await page.keyboard.press("Tab"); // Link
    await page.keyboard.press("Tab"); // Image (the picture's file picker)
    await page.keyboard.press("Tab"); // first topic
    await page.keyboard.press("Space");
    await page.keyboard.press("Control+Enter");
    await expect(admin.row("Keyboard panel test: all by keys")).toBeVisible();
    await admin.row("Keyboard panel test: all by keys").getByRole("button", { name: /^Edit/ }).focus();
    await page.keyboard.press("Enter");
    await expect(admin.dialog.getByRole("textbox", { name: "Headline" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(admin.dialog).toHaveCount(0);
    await expect(
      admin.row("Keyboard panel test: all by keys").getByRole("button", { name: /^Edit/ }),
    ).toBeFocused();
  });
});
