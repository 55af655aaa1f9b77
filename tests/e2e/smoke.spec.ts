import { expect, test } from "@playwright/test";

test("the dashboard loads without errors", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "livedesk" })).toBeVisible();
  expect(errors).toEqual([]);
});
