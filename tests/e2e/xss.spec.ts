import { DESK_ADMIN_PASSWORD } from "../helpers/desk";
import { expect, test } from "./fixtures";
import { AdminPage } from "./pages/admin";

const SCRIPT = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;
const TOPIC = "<b onmouseover=alert(1)>Topic</b>";

test("headlines, summaries, sources and notes carrying HTML render as text everywhere", async ({
  page,
  desk,
}) => {
  await desk.createTopic("xss", TOPIC);
  const item = await desk.publish({
    topics: ["xss"],
    headline: `Headline ${SCRIPT}`,
    summary: `Summary ${SCRIPT}`,
    source: `Source ${SCRIPT}`,
    breaking: true,
  });
  await desk.edit(item, { correction: `Note ${SCRIPT}` });
  const pwned = () => page.evaluate(() => Reflect.get(window, "__pwned") === 1);

  await page.goto("/");
  const article = page
    .getByRole("feed", { name: "News feed" })
    .getByRole("article", { name: `Headline ${SCRIPT}` });
  await expect(article).toContainText(`Summary ${SCRIPT}`);
  await expect(article).toContainText(`Source ${SCRIPT}`);
  await expect(article).toContainText(`Correction: Note ${SCRIPT}`);
  await expect(page.getByRole("marquee", { name: "Breaking news" })).toContainText(`Headline ${SCRIPT}`);
  await expect(page.getByRole("button", { name: TOPIC })).toBeVisible();

  await page.goto(`/items/${item.id}`);
  await expect(page.getByRole("heading", { level: 1, name: `Headline ${SCRIPT}` })).toBeVisible();
  await expect(page).toHaveTitle(`Headline ${SCRIPT} — livedesk`);

  const admin = new AdminPage(page);
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  await expect(admin.row(`Headline ${SCRIPT}`)).toBeVisible();
  expect(await pwned()).toBe(false);
  expect(await page.locator("img[src=x]").count()).toBe(0);
});

test("links open only http and https, in a new tab without handing over the page", async ({ page, desk }) => {
  await desk.publish({ headline: "Link test: safe link", url: "https://example.org/story" });
  await page.goto("/");
  const link = page
    .getByRole("article", { name: "Link test: safe link" })
    .getByRole("link", { name: /Read more/ });
  await expect(link).toHaveAttribute("href", "https://example.org/story");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer");
  await expect(link).toHaveAttribute("target", "_blank");
});
