import { DESK_ADMIN_PASSWORD } from "../helpers/desk";
import { expect, seriousViolations, test } from "./fixtures";
import { AdminPage } from "./pages/admin";

test.describe("before the page's JavaScript runs", () => {
  test.use({ javaScriptEnabled: false });

  test("the dashboard shows the latest headlines, escaped, as links to their pages", async ({
    desk,
    page,
  }) => {
    const item = await desk.publish({ headline: "First paint: harbour reopens <b>today</b> & more" });
    await page.goto("/");
    const link = page.getByRole("link", { name: "First paint: harbour reopens <b>today</b> & more" });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute("href", `/items/${item.id}`);
    await expect(page).toHaveTitle("livedesk — live news");
  });

  test("a permalink shows its headline, summary, title and Open Graph tags for a shared link", async ({
    desk,
    page,
  }) => {
    const item = await desk.publish({
      headline: "First paint: tram line 4 extended",
      summary: "Six new stops open in May, the council said.",
    });
    const response = await page.goto(`/items/${item.id}`);
    expect(response?.status()).toBe(200);
    await expect(
      page.getByRole("heading", { level: 1, name: "First paint: tram line 4 extended" }),
    ).toBeVisible();
    await expect(page.getByText("Six new stops open in May, the council said.")).toBeVisible();
    await expect(page).toHaveTitle("First paint: tram line 4 extended — livedesk");
    const meta = (selector: string) => page.locator(selector).getAttribute("content");
    expect(await meta('meta[name="description"]')).toBe("Six new stops open in May, the council said.");
    expect(await meta('meta[property="og:title"]')).toBe("First paint: tram line 4 extended — livedesk");
    expect(await meta('meta[property="og:description"]')).toBe(
      "Six new stops open in May, the council said.",
    );
    expect(await meta('meta[property="og:url"]')).toBe(`${desk.url}/items/${item.id}`);
    expect(await meta('meta[property="og:type"]')).toBe("article");
  });

  test("a retracted item's permalink shows only its tombstone", async ({ desk, page }) => {
    const item = await desk.publish({
      headline: "First paint: minister resigns",
      summary: "An unverified claim about the minister.",
    });
    await desk.retract(item, "The report was wrong.");
    await page.goto(`/items/${item.id}`);
    await expect(
      page.getByRole("heading", { level: 1, name: "First paint: minister resigns" }),
    ).toBeVisible();
    await expect(page.getByText("This item was retracted.")).toBeVisible();
    await expect(page.getByText("The report was wrong.")).toBeVisible();
    expect(await page.content()).not.toContain("An unverified claim");
  });
});

test.describe("an address nobody serves", () => {
  test("answers 404 with a page that leads home, on the server and in the app", async ({ page }) => {
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(page).toHaveTitle("Page not found — livedesk");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Go to the latest news" }).click();
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("feed", { name: "News feed" })).toBeVisible();

    const unknownItem = await page.goto("/items/no-such-item");
    expect(unknownItem?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "No item has this address." })).toBeVisible();
  });

  test("an unknown panel screen says so instead of an empty panel", async ({ page }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await page.goto("/admin/nope");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await page.getByRole("link", { name: "Go to the desk" }).click();
    await expect(page).toHaveURL(/\/admin\/?$/);
    await expect(page.getByRole("region", { name: "New item" })).toBeVisible();
  });
});
