import { mediaUploadAnswerSchema } from "../../shared/requests";
import { DESK_ADMIN_PASSWORD } from "../helpers/desk";
import { picture, upload } from "../media/pictures";
import { expect, holdRequests, seriousViolations, test } from "./fixtures";
import { AdminPage, type PictureFile } from "./pages/admin";
import { PermalinkPage } from "./pages/permalink";

/*
 * #15 "Done when", with pictures: an operator publishes a flash with a picture and its alt text, a
 * reader already on the page sees it with "Flash", "Unconfirmed" and the picture (its box sized
 * before the bytes come), the operator confirms it and the reader's card and the item's history say
 * so. The picture comes by file picker, by drop and by paste.
 */

async function file(
  name: string,
  format: "jpeg" | "png" | "webp",
  width = 800,
  height = 450,
): Promise<PictureFile> {
  const mimeType = `image/${format}`;
  return { name, mimeType, buffer: await picture(format, width, height) };
}

test("a flash with a picture: alt text required, the reader's box sized before the bytes, confirmed live and in the history", async ({
  page,
  reader,
}) => {
  const admin = new AdminPage(page);
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  // The reader's pictures wait until the test lets them through: their box must be there before.
  const release = await holdRequests(reader.page.context(), /\/media\//);
  const headline = "Flow: dam breaks upstream";
  await admin.headline.fill(headline);
  await admin.topic("World").check();
  await admin.urgency.focus();
  await page.keyboard.press("f");
  await admin.verification.selectOption({ label: "Unconfirmed" });
  await admin.image.setInputFiles(await file("dam.jpg", "jpeg"));
  await expect(admin.composer.getByRole("status").filter({ hasText: "Uploaded “dam.jpg”" })).toContainText(
    "800 × 450 pixels",
  );
  await expect(admin.preview.getByRole("figure")).toBeVisible();

  // No alt text: the publish is refused, the field named and focused, nothing goes out.
  await admin.publish.click();
  await expect(admin.composerMessage("Not published yet: check the alt text above.")).toBeVisible();
  await expect(admin.altText).toBeFocused();
  await expect(admin.altText).toHaveAccessibleDescription(/Write the alt text/);
  expect(await seriousViolations(page)).toEqual([]);
  await expect(reader.article(headline)).toHaveCount(0);

  await admin.altText.fill("A breached dam with water pouring through");
  await admin.credit.fill("River Authority");
  await admin.publish.click();
  await expect(admin.composerMessage(`Published “${headline}”.`)).toBeVisible();

  const card = reader.article(headline);
  await expect(card).toContainText("Flash");
  await expect(card).toContainText("Unconfirmed");
  await expect(card).toContainText("Picture: River Authority");
  const image = card.getByRole("img", { name: "A breached dam with water pouring through" });
  await expect(image).toBeVisible();
  // Before a byte of it has arrived, the picture already takes its 800×450 box.
  expect(await image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(0);
  const before = await image.boundingBox();
  const cardBefore = await card.boundingBox();
  expect(before?.width ?? 0).toBeGreaterThan(100);
  expect(before?.height ?? 0).toBeCloseTo(((before?.width ?? 0) * 450) / 800, 0);
  release();
  await expect
    .poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth))
    .toBeGreaterThan(0);
  // The card (still sliding in, so its place may move) keeps its height: nothing below shifts.
  expect((await card.boundingBox())?.height).toBeCloseTo(cardBefore?.height ?? 0, 1);
  expect((await image.boundingBox())?.height).toBeCloseTo(before?.height ?? 0, 1);
  const tickerEntry = reader.ticker.getByRole("listitem").filter({ hasText: headline }).first();
  await expect(tickerEntry).toContainText("Flash");
  await expect(tickerEntry).toContainText("Unconfirmed");
  expect(await seriousViolations(reader.page)).toEqual([]);

  await admin.setVerification(headline, "Confirmed");
  await expect(card).toContainText("Confirmed");
  await expect(card).not.toContainText("Unconfirmed");
  await expect(image).toBeVisible();

  const permalink = new PermalinkPage(reader.page);
  await card.getByRole("link", { name: headline }).click();
  await expect(
    permalink.article.getByRole("img", { name: "A breached dam with water pouring through" }),
  ).toBeVisible();
  await expect(permalink.article).toContainText("Picture: River Authority");
  await expect(permalink.history).toContainText(/Confirmed at .+ by admin/);
  expect(await seriousViolations(reader.page)).toEqual([]);
});

test("a picture dropped on the composer, another pasted into the editor: the reader's card follows live", async ({
  page,
  reader,
}) => {
  const admin = new AdminPage(page);
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  const headline = "Flow: ferry reaches port";
  await admin.headline.fill(headline);
  await admin.topic("World").check();
  // Dropped on the preview, beside the form: the composer takes it all the same.
  await admin.dropPicture(admin.preview, await file("ferry.png", "png", 600, 400));
  await expect(admin.altText).toBeVisible();
  await admin.altText.fill("The ferry at the quay");
  await admin.publish.click();
  const card = reader.article(headline);
  await expect(card.getByRole("img", { name: "The ferry at the quay" })).toHaveAttribute("width", "600");
  await expect(card.getByRole("img", { name: "The ferry at the quay" })).toHaveAttribute("height", "400");

  await admin.row(headline).getByRole("button", { name: /^Edit/ }).click();
  const dialog = admin.dialog;
  await admin.pastePicture(
    dialog.getByRole("textbox", { name: "Summary" }),
    await file("crowd.webp", "webp", 640, 480),
  );
  await expect(dialog.getByRole("status").filter({ hasText: "Uploaded “crowd.webp”" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  // A new picture needs its own alt text.
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByRole("textbox", { name: "Alt text" })).toBeFocused();
  await expect(dialog.getByText("Write the alt text")).toBeVisible();
  await dialog.getByRole("textbox", { name: "Alt text" }).fill("Families waiting on the quay");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByRole("img", { name: "Families waiting on the quay" })).toHaveAttribute(
    "height",
    "480",
  );

  await admin.row(headline).getByRole("button", { name: /^Edit/ }).click();
  await dialog.getByRole("button", { name: "Remove image" }).click();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByRole("img")).toHaveCount(0);
  const permalink = new PermalinkPage(reader.page);
  await card.getByRole("link", { name: headline }).click();
  await expect(permalink.history).toContainText("Picture changed.");
  await expect(permalink.history).toContainText("Picture removed.");
  await expect(permalink.article.getByRole("img")).toHaveCount(0);
});

test("a file that is no picture is refused with a clear error, before and by the server", async ({
  page,
}) => {
  const admin = new AdminPage(page);
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  await admin.image.setInputFiles({
    name: "notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("hello"),
  });
  await expect(admin.composer.getByRole("alert")).toHaveText(
    "Picture not uploaded: “notes.txt” is a text/plain file: choose a JPEG, PNG, WebP or AVIF picture.",
  );
  // Bytes that claim to be a JPEG but are cut short: the server's words reach the operator.
  const whole = await picture("jpeg");
  await admin.image.setInputFiles({
    name: "cut.jpg",
    mimeType: "image/jpeg",
    buffer: whole.subarray(0, 200),
  });
  await expect(admin.composer.getByRole("alert")).toContainText("Picture not uploaded:");
  await expect(admin.composer.getByRole("alert")).not.toContainText("text/plain");
  await expect(admin.altText).toHaveCount(0);
});

test("the embed's feed shows the picture with its size, alt text and credit", async ({ desk, page }) => {
  await page.goto("/embed/feed?topic=world");
  const feed = page.getByRole("feed", { name: "News feed" });
  await expect(page.getByRole("status")).toHaveText("Live");
  const uploaded = mediaUploadAnswerSchema.parse(
    (await upload(desk.url, desk.editorToken, await picture("jpeg", 900, 600), "image/jpeg")).body,
  );
  await desk.publish({
    headline: "Flow embed: harbour reopens",
    image: { id: uploaded.id, alt: "Cranes over the harbour", credit: "Port office" },
  });
  const image = feed.getByRole("img", { name: "Cranes over the harbour" });
  await expect(image).toHaveAttribute("width", "900");
  await expect(image).toHaveAttribute("height", "600");
  await expect(feed).toContainText("Picture: Port office");
  expect(await seriousViolations(page)).toEqual([]);
});

test("publishing while the picture is still uploading waits for it instead of going out without it", async ({
  dashboard,
  page,
}) => {
  const admin = new AdminPage(page);
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  const release = await holdRequests(page, "**/api/media");
  const headline = "Flow: a slow upload";
  await admin.headline.fill(headline);
  await admin.topic("World").check();
  await admin.image.setInputFiles(await file("slow.jpg", "jpeg"));
  await expect(admin.composer.getByRole("status").filter({ hasText: "Uploading “slow.jpg”" })).toBeVisible();
  await admin.publish.click();
  await expect(admin.composerMessage("Not published yet: check the picture above.")).toBeVisible();
  await expect(admin.image).toHaveAccessibleDescription(/still uploading/);
  release();
  await admin.altText.fill("A slow picture");
  await admin.publish.click();
  await expect(admin.composerMessage(`Published “${headline}”.`)).toBeVisible();
  await dashboard.open();
  await expect(dashboard.article(headline).getByRole("img", { name: "A slow picture" })).toBeVisible();
});

test("a card with a wide picture on a phone under reduced motion: no sideways scroll, axe clean", async ({
  dashboard,
  desk,
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ reducedMotion: "reduce" });
  const uploaded = mediaUploadAnswerSchema.parse(
    (await upload(desk.url, desk.editorToken, await picture("png", 1600, 400), "image/png")).body,
  );
  await desk.publish({
    headline: "Flow phone: a panorama of the valley",
    image: { id: uploaded.id, alt: "The flooded valley from the ridge", credit: "Reader's photo" },
  });
  await dashboard.open();
  const card = dashboard.article("Flow phone: a panorama of the valley");
  const image = card.getByRole("img", { name: "The flooded valley from the ridge" });
  await expect
    .poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth))
    .toBeGreaterThan(0);
  const [cardBox, imageBox] = [await card.boundingBox(), await image.boundingBox()];
  expect(imageBox?.width ?? Infinity).toBeLessThanOrEqual(cardBox?.width ?? 0);
  expect(imageBox?.height ?? 0).toBeCloseTo(((imageBox?.width ?? 0) * 400) / 1600, 0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await seriousViolations(page)).toEqual([]);
});

test("text pasted from a word processor (words and a picture of them) stays text: no upload", async ({
  page,
}) => {
  const admin = new AdminPage(page);
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  const uploads: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/media")
      uploads.push(request.url());
  });
  await admin.pastePicture(admin.summary, await file("words.png", "png"), "Water reached the first floor.");
  // Then a picture alone: it uploads, and it is the only upload.
  await admin.pastePicture(admin.summary, await file("street.png", "png"));
  await expect(admin.composer.getByRole("status").filter({ hasText: "Uploaded “street.png”" })).toBeVisible();
  expect(uploads).toHaveLength(1);
});

test("the draft keeps its picture, alt text and credit across a reload, and Remove image takes it out", async ({
  page,
}) => {
  const admin = new AdminPage(page);
  await admin.login("admin", DESK_ADMIN_PASSWORD);
  await admin.image.setInputFiles(await file("kept.jpg", "jpeg", 500, 500));
  await admin.altText.fill("A kept picture");
  await admin.credit.fill("Desk photographer");
  await page.reload();
  await expect(admin.altText).toHaveValue("A kept picture");
  await expect(admin.credit).toHaveValue("Desk photographer");
  await expect(admin.preview.getByRole("img", { name: "A kept picture" })).toHaveAttribute("width", "500");
  await expect(admin.preview).toContainText("Picture: Desk photographer");
  await admin.removeImage.click();
  await expect(admin.image).toBeFocused();
  await expect(admin.altText).toHaveCount(0);
  await expect(admin.preview.getByRole("img")).toHaveCount(0);
});
