import { DESK_ADMIN_PASSWORD } from "../helpers/desk";
import { expect, seriousViolations, test } from "./fixtures";
import { AdminPage } from "./pages/admin";
import { ImportScreen } from "./pages/import";

/** Imports go to the server and back through the live list; give a loaded machine time. */
const SERVER = { timeout: 15_000 };

const PAGE = [
  "Import test: latest from the coast",
  "Import test: harbour reopens",
  "Boats left at dawn for the first time since the storm.",
  "Import test: roads cleared",
  "The coast road is open again in both directions.",
].join("\n\n");

test.describe("the Import screen", () => {
  test("an editor pastes a page, sees how it reads, imports it, and a second import adds nothing", async ({
    page,
    desk,
  }) => {
    await desk.createOperator("import-editor", "import-editor-password", "editor");
    const admin = new AdminPage(page);
    await admin.login("import-editor", "import-editor-password");
    const screen = new ImportScreen(page);
    await screen.open();
    await expect(page).toHaveURL(/\/admin\/import$/);

    await screen.text.fill(PAGE);
    await expect(screen.text).toHaveAccessibleDescription(
      "Reads as 2 items under the title “Import test: latest from the coast”.",
    );
    // No topic yet: the panel says so where the work is, and sends nothing.
    await screen.submit.click();
    await expect(screen.topics.getByRole("checkbox").first()).toBeFocused();
    await expect(screen.message("Nothing imported: check the topics above.")).toBeVisible();

    await screen.topic("Weather").check();
    await screen.submit.click();
    await expect(screen.message("Imported: 2 items added to the timeline.")).toBeVisible(SERVER);
    await expect(screen.text).toHaveValue("");

    // The desk's live list shows them, the first block newest.
    await page.getByRole("navigation", { name: "Panel" }).getByRole("link", { name: "Desk" }).click();
    await expect(admin.row("Import test: harbour reopens")).toBeVisible(SERVER);
    const headlines = admin.items.getByText(/^Import test: /);
    await expect(headlines).toHaveText(["Import test: harbour reopens", "Import test: roads cleared"]);

    await screen.open();
    await screen.text.fill(PAGE);
    await screen.topic("Weather").check();
    await screen.submit.click();
    await expect(
      screen.message("Imported: 0 items added to the timeline, 2 items already there."),
    ).toBeVisible(SERVER);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("names the line where a blank line is missing, on the Text field, and imports nothing", async ({
    page,
  }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    const screen = new ImportScreen(page);
    await screen.open();
    await screen.text.fill("Import test: broken\nIts summary right below\n\nAnother headline\n\nIts summary");
    await expect(screen.text).toHaveAccessibleDescription(
      /Cannot be imported yet: line 1: .*blank line missing/,
    );
    await screen.topic("Weather").check();
    await screen.submit.click();
    await expect(screen.text).toBeFocused();
    await expect(screen.text).toHaveAccessibleDescription(/line 1: a headline or a summary is one line/);
    await expect(screen.message("Nothing imported: check the text above.")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("fits a phone's width", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    const screen = new ImportScreen(page);
    await screen.open();
    await expect(screen.submit).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
