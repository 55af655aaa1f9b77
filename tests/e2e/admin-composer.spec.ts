import type { Page, Route } from "@playwright/test";
import { z } from "zod";
import { itemSchema } from "../../shared/item";
import { TOPICS_MAX } from "../../shared/limits";
import { DESK_ADMIN_PASSWORD, Desk } from "../helpers/desk";
import { expect, seriousViolations, test } from "./fixtures";
import { AdminPage } from "./pages/admin";

const itemsPage = z.object({ items: z.array(itemSchema) });

/** The items whose headline starts with `prefix`, retracted ones too, as the API lists them. */
async function itemsStartingWith(desk: Desk, prefix: string) {
  const query = new URLSearchParams({ q: prefix, status: "all", limit: "200" });
  const { items } = itemsPage.parse(await desk.call("GET", `/api/items?${query}`));
  return items.filter((item) => item.headline.startsWith(prefix));
}

/**
 * Lets the tab's next publish reach the server, then drops the answer on its way back: the item
 * is made, the page only sees the connection break.
 */
async function loseTheNextPublishAnswer(page: Page): Promise<void> {
  let lost = false;
  const items = (url: URL) => url.pathname === "/api/items";
  const lose = async (route: Route) => {
    if (lost || route.request().method() !== "POST") return route.fallback();
    lost = true;
    await route.fetch();
    await route.abort("connectionreset");
    await page.unroute(items, lose);
  };
  await page.route(items, lose);
}

test.describe("the composer", () => {
  test("gives each tab its own draft, so two tabs of one operator both publish", async ({ page }) => {
    const first = new AdminPage(page);
    await first.login("admin", DESK_ADMIN_PASSWORD);
    await first.headline.fill("Two tabs test: council votes tonight");
    await first.topic("Politics").check();

    const second = new AdminPage(await page.context().newPage());
    await second.open();
    await expect(second.headline).toHaveValue("");

    await first.headline.press("Control+Enter");
    await expect(first.composerMessage("Published “Two tabs test: council votes tonight”.")).toBeVisible();

    await second.headline.fill("Two tabs test: derby ends level");
    await second.topic("Sport").check();
    await second.headline.press("Control+Enter");
    await expect(second.composerMessage("Published “Two tabs test: derby ends level”.")).toBeVisible();
    await expect(second.row("Two tabs test: derby ends level")).toBeVisible();

    // Each tab keeps its own draft across a reload, and only its own.
    await second.headline.fill("Two tabs test: second tab's next draft");
    await second.page.reload();
    await expect(second.headline).toHaveValue("Two tabs test: second tab's next draft");
    await first.page.reload();
    await expect(first.headline).toHaveValue("");
  });

  test("publishes once after a lost answer, whether the draft is retried as it was or edited first", async ({
    page,
    desk,
  }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);

    // Retried as it was: the same item, not a second one.
    await admin.headline.fill("Lost answer test: ferry resumes");
    await admin.topic("World").check();
    await loseTheNextPublishAnswer(page);
    await admin.headline.press("Control+Enter");
    await expect(admin.composerMessage(/No answer from the server/)).toBeVisible();
    await admin.headline.press("Control+Enter");
    await expect(admin.composerMessage("Published “Lost answer test: ferry resumes”.")).toBeVisible();
    expect(await itemsStartingWith(desk, "Lost answer test: ferry")).toHaveLength(1);

    // Edited first (the typo is fixed after the answer was lost): the operator is told the first
    // version went out and where it is, instead of a refusal that never ends.
    await admin.headline.fill("Lost answer test: minister resings");
    await admin.topic("Politics").check();
    await loseTheNextPublishAnswer(page);
    await admin.headline.press("Control+Enter");
    await expect(admin.composerMessage(/No answer from the server/)).toBeVisible();
    await page.reload();
    await expect(admin.headline).toHaveValue("Lost answer test: minister resings");
    await admin.headline.fill("Lost answer test: minister resigns");
    await admin.headline.press("Control+Enter");
    const already = admin.composerMessage("Already published — view or edit it");
    await expect(already).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    const [published] = await itemsStartingWith(desk, "Lost answer test: minister");
    expect(await itemsStartingWith(desk, "Lost answer test: minister")).toHaveLength(1);
    await expect(already.getByRole("link", { name: "view" })).toHaveAttribute(
      "href",
      `/items/${published?.id}`,
    );
    await already.getByRole("button", { name: "edit it" }).click();
    await expect(admin.dialog.getByRole("textbox", { name: "Headline" })).toHaveValue(
      "Lost answer test: minister resings",
    );
    await admin.dialog.getByRole("textbox", { name: "Headline" }).fill("Lost answer test: minister resigns");
    await admin.dialog.getByRole("button", { name: "Save" }).click();
    await expect(admin.dialog).toHaveCount(0);
    await expect(admin.row("Lost answer test: minister resigns")).toBeVisible();

    // No lock: the next story publishes.
    await admin.headline.fill("Lost answer test: a later story");
    await admin.headline.press("Control+Enter");
    await expect(admin.composerMessage("Published “Lost answer test: a later story”.")).toBeVisible();
    expect(await itemsStartingWith(desk, "Lost answer test: minister")).toHaveLength(1);
  });

  test("shows the next operator on the same browser none of the last one's draft", async ({ page, desk }) => {
    await desk.createOperator("next-on-shift", "next-on-shift-password", "editor");
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await admin.headline.fill("Shift test: the admin's unpublished scoop");

    // The session ends with the draft unsent; someone else logs in at the same screen.
    await page.context().clearCookies();
    await admin.topic("World").check();
    await admin.publish.click();
    await expect(page.getByRole("alert")).toContainText("Your session has ended");
    await admin.login("next-on-shift", "next-on-shift-password");
    await expect(admin.headline).toHaveValue("");
    await page.getByRole("button", { name: "Log out" }).click();

    // The admin's own draft is still theirs after logging in again.
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await expect(admin.headline).toHaveValue("Shift test: the admin's unpublished scoop");
    await page.getByRole("button", { name: "Log out" }).click();
    await admin.login("next-on-shift", "next-on-shift-password");
    await expect(admin.headline).toHaveValue("");
  });

  test("says what to fix in plain words beside each field and takes focus to the first", async ({ page }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await admin.summary.fill("Plain words test: a summary without a headline.");
    await admin.link.fill("example.org/story");
    await admin.summary.press("Control+Enter");

    await expect(admin.headline).toBeFocused();
    await expect(admin.headline).toHaveAttribute("aria-invalid", "true");
    await expect(admin.headline).toHaveAccessibleDescription(/Write a headline\./);
    await expect(admin.link).toHaveAccessibleDescription(
      "Enter a full web address starting with https:// or http://, or leave the link empty.",
    );
    await expect(admin.topics).toHaveAccessibleDescription(/Choose at least one topic\./);
    await expect(admin.composerMessage("check the headline, the link and the topics")).toBeVisible();
    await expect(admin.composer).not.toContainText("request body");

    await admin.headline.fill("Plain words test: headline written");
    await admin.headline.press("Control+Enter");
    await expect(admin.link).toBeFocused();
  });

  test("asks before Escape or Cancel throws away unsaved edits", async ({ page, desk }) => {
    await desk.publish({ headline: "Discard test: bridge closes" });
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await admin.row("Discard test: bridge closes").getByRole("button", { name: /^Edit/ }).click();
    const headline = admin.dialog.getByRole("textbox", { name: "Headline" });
    await headline.fill("Discard test: bridge closes for a week");
    const ask = page.getByRole("alertdialog", { name: "Discard your changes?" });

    await headline.press("Escape");
    await expect(ask).toBeVisible();
    await expect(ask.getByRole("button", { name: "Keep editing" })).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
    await ask.getByRole("button", { name: "Keep editing" }).click();
    await expect(ask).toHaveCount(0);
    await expect(headline).toHaveValue("Discard test: bridge closes for a week");

    // Escape in the question keeps editing too.
    await headline.press("Escape");
    await expect(ask).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(ask).toHaveCount(0);
    await expect(headline).toHaveValue("Discard test: bridge closes for a week");

    await admin.dialog.getByRole("button", { name: "Cancel" }).click();
    await ask.getByRole("button", { name: "Discard changes" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(admin.row("Discard test: bridge closes")).toBeVisible();
  });

  test("after a conflict, marks the fields both editors changed and applies the operator's choice for each", async ({
    page,
    desk,
  }) => {
    const item = await desk.publish({ headline: "Merge test: storm nears", summary: "Winds rise." });
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    await admin.row("Merge test: storm nears").getByRole("button", { name: /^Edit/ }).click();
    await admin.dialog.getByRole("textbox", { name: "Headline" }).fill("Merge test: storm hits the coast");
    await admin.dialog.getByRole("textbox", { name: "Summary" }).fill("Winds reach 120 km/h.");
    await admin.dialog.getByRole("checkbox", { name: "Breaking" }).check();

    // Another editor saves first, changing the headline and the summary too.
    await desk.edit(item, { headline: "Merge test: storm makes landfall", summary: "Ferries stop." });
    await admin.dialog.getByRole("button", { name: "Save" }).click();
    const conflict = admin.dialog.getByRole("region", { name: /changed this item while you were editing/ });
    const headline = conflict.getByRole("group", { name: /^Headline: you both changed it/ });
    const summary = conflict.getByRole("group", { name: /^Summary: you both changed it/ });
    await expect(
      headline.getByRole("radio", { name: "Mine: Merge test: storm hits the coast" }),
    ).toBeVisible();
    await expect(
      headline.getByRole("radio", { name: "Theirs: Merge test: storm makes landfall" }),
    ).toBeVisible();
    await expect(summary.getByRole("radio", { name: "Theirs: Ferries stop." })).toBeVisible();
    await expect(conflict.getByRole("group", { name: /^Breaking/ })).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);

    await conflict.getByRole("button", { name: "Apply my changes on top" }).click();
    await expect(conflict.getByRole("alert")).toHaveText(
      "Choose mine or theirs for headline and summary first.",
    );
    await expect(headline.getByRole("radio").first()).toBeFocused();

    await headline.getByRole("radio", { name: /^Mine/ }).check();
    await summary.getByRole("radio", { name: /^Theirs/ }).check();
    await conflict.getByRole("button", { name: "Apply my changes on top" }).click();
    await expect(admin.dialog).toHaveCount(0);
    const [saved] = await itemsStartingWith(desk, "Merge test");
    expect(saved).toMatchObject({
      headline: "Merge test: storm hits the coast",
      summary: "Ferries stop.",
      breaking: true,
      version: 3,
    });
  });
});

/** A second livedesk for this file's tests that need a desk with 50 topics or a locked account. */
const spareTest = test.extend<object, { spareDesk: Desk }>({
  spareDesk: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
    async ({}, use) => {
      const desk = await Desk.start();
      // Desk.start made four topics; a big newsroom has fifty.
      for (let n = 5; n <= 50; n++) await desk.createTopic(`beat-${n}`, `Beat ${n}`);
      await use(desk);
      await desk.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ spareDesk }, use) => {
    await use(spareDesk.url);
  },
});

spareTest.describe("the composer on a desk with 50 topics", () => {
  spareTest(`keeps an item within ${TOPICS_MAX} topics and says so`, async ({ page }) => {
    const admin = new AdminPage(page);
    await admin.login("admin", DESK_ADMIN_PASSWORD);
    for (let n = 5; n < 5 + TOPICS_MAX; n++) await admin.topic(`Beat ${n}`).check();
    await expect(admin.topics.getByRole("status")).toHaveText(
      `${TOPICS_MAX} topics chosen, the most an item can carry: untick one to choose another.`,
    );
    await expect(admin.topic("Beat 40")).toBeDisabled();
    await expect(admin.topic("World")).toBeDisabled();
    await admin.topic("Beat 5").uncheck();
    await expect(admin.topic("Beat 40")).toBeEnabled();
    await expect(admin.topics.getByRole("status")).toHaveText("");
  });

  spareTest.describe("on a phone", () => {
    spareTest.use({ viewport: { width: 390, height: 844 } });

    spareTest("keeps the preview in view while topics are chosen", async ({ page }) => {
      const admin = new AdminPage(page);
      await admin.login("admin", DESK_ADMIN_PASSWORD);
      await admin.headline.fill("Phone test: the preview stays near");
      await admin.topic("Beat 50").check();
      await admin.topics.evaluate((group) => group.scrollIntoView({ block: "start" }));
      await expect(admin.topics.getByRole("checkbox", { name: "Beat 50" })).toBeInViewport();
      await expect(
        admin.preview.getByRole("heading", { name: "Phone test: the preview stays near" }),
      ).toBeInViewport();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });

  spareTest("says how long a login lockout lasts", async ({ page }) => {
    // Ten failed logins for one account from one address lock it for a quarter of an hour.
    for (let attempt = 0; attempt < 10; attempt++) {
      const answer = await page.request.post("/api/session", {
        data: { username: "lockout-test", password: "not the password" },
      });
      expect(answer.status()).toBe(401);
    }
    await page.goto("/admin");
    await page.getByRole("textbox", { name: "Username" }).fill("lockout-test");
    await page.getByRole("textbox", { name: "Password" }).fill("still not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert")).toHaveText(
      /^Too many failed logins: logging in is locked for 15 minutes\. Try again at \d\d:\d\d\.$/,
    );
  });
});
