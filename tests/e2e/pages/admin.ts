import { expect, type Locator, type Page } from "@playwright/test";

/** The operator panel at `/admin`, found by role and accessible name. */
export class AdminPage {
  readonly composer: Locator;
  readonly headline: Locator;
  readonly summary: Locator;
  readonly link: Locator;
  readonly topics: Locator;
  readonly breaking: Locator;
  readonly pinned: Locator;
  readonly urgency: Locator;
  readonly verification: Locator;
  readonly keyEvent: Locator;
  readonly sources: Locator;
  readonly verificationFilter: Locator;
  readonly publish: Locator;
  readonly items: Locator;
  /** The live list's search box, filters and paging. */
  readonly search: Locator;
  readonly topicFilter: Locator;
  readonly statusFilter: Locator;
  readonly loadMore: Locator;
  /** Whether the panel is live, reconnecting or offline. */
  readonly connection: Locator;
  /** The composer's card of the draft as readers would see it. */
  readonly preview: Locator;
  /** The composer's picture: its file picker, alt text, credit and "Remove image". */
  readonly image: Locator;
  readonly altText: Locator;
  readonly credit: Locator;
  readonly removeImage: Locator;

  constructor(readonly page: Page) {
    const composer = page.getByRole("region", { name: "New item" });
    this.composer = composer;
    this.headline = composer.getByRole("textbox", { name: "Headline", exact: true });
    this.summary = composer.getByRole("textbox", { name: "Summary", exact: true });
    this.link = composer.getByRole("textbox", { name: "Link", exact: true });
    this.topics = composer.getByRole("group", { name: "Topics" });
    this.breaking = composer.getByRole("checkbox", { name: "Breaking" });
    this.pinned = composer.getByRole("checkbox", { name: "Pinned" });
    this.urgency = composer.getByRole("combobox", { name: "Urgency" });
    this.verification = composer.getByRole("combobox", { name: "Verification" });
    this.keyEvent = composer.getByRole("checkbox", { name: "Key event" });
    this.sources = composer.getByRole("textbox", { name: "Sources" });
    this.publish = composer.getByRole("button", { name: "Publish" });
    this.items = page.getByRole("region", { name: "Items" });
    this.search = this.items.getByRole("searchbox", { name: "Search items" });
    this.topicFilter = this.items.getByRole("combobox", { name: "Topic" });
    this.statusFilter = this.items.getByRole("combobox", { name: "Status" });
    this.verificationFilter = this.items.getByRole("combobox", { name: "Verification" });
    this.loadMore = this.items.getByRole("button", { name: "Load more items" });
    this.connection = page.getByRole("status").filter({ hasText: /Live|Connecting|reconnecting|Offline/ });
    this.preview = composer.getByRole("region", { name: "Preview" });
    this.image = composer.getByLabel("Image", { exact: true });
    this.altText = composer.getByRole("textbox", { name: "Alt text" });
    this.credit = composer.getByRole("textbox", { name: "Credit" });
    this.removeImage = composer.getByRole("button", { name: "Remove image" });
  }

  /** Opens the panel in a tab whose browser is logged in already. */
  async open(): Promise<void> {
    await this.page.goto("/admin");
    await expect(this.page.getByRole("button", { name: "Log out" })).toBeVisible();
  }

  /** The line under the composer's form that says what came of the last publish. */
  composerMessage(text: string | RegExp): Locator {
    return this.composer.getByRole("status").filter({ hasText: text });
  }

  async login(username: string, password: string): Promise<void> {
    await this.page.goto("/admin");
    await this.page.getByRole("textbox", { name: "Username" }).fill(username);
    await this.page.getByRole("textbox", { name: "Password" }).fill(password);
    await this.page.getByRole("button", { name: "Log in" }).click();
    await expect(this.page.getByRole("button", { name: "Log out" })).toBeVisible();
  }

  topic(name: string): Locator {
    return this.topics.getByRole("checkbox", { name, exact: true });
  }

  /** The row of the live list that shows `headline`. */
  row(headline: string): Locator {
    return this.items.getByRole("listitem").filter({ has: this.page.getByText(headline, { exact: true }) });
  }

  get dialog(): Locator {
    return this.page.getByRole("dialog");
  }

  /** Sets the verification of the item listed as `headline` in its Edit dialog, and saves. */
  async setVerification(headline: string, label: "Unconfirmed" | "Confirmed" | "Disputed"): Promise<void> {
    await this.row(headline).getByRole("button", { name: /^Edit/ }).click();
    await this.dialog.getByRole("combobox", { name: "Verification" }).selectOption({ label });
    await this.dialog.getByRole("button", { name: "Save" }).click();
    await expect(this.dialog).toBeHidden();
  }

  /** Drops `file` on `target` as a file dragged from the desktop would be. */
  async dropPicture(target: Locator, file: PictureFile): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle(transferOf, wire(file));
    await target.dispatchEvent("dragenter", { dataTransfer });
    await target.dispatchEvent("dragover", { dataTransfer });
    // While it is over the form, the Image field says where it goes.
    await expect(this.page.getByText("Drop the picture to upload it.")).toBeVisible();
    await target.dispatchEvent("drop", { dataTransfer });
    await expect(this.page.getByText("Drop the picture to upload it.")).toHaveCount(0);
  }

  /**
   * Pastes `file` into `target` as a picture copied from another program would be; with `text`,
   * as a word processor copies text: the words and a picture of them.
   */
  async pastePicture(target: Locator, file: PictureFile, text?: string): Promise<void> {
    const clipboardData = await this.page.evaluateHandle(transferOf, wire(file));
    if (text !== undefined)
      await clipboardData.evaluate((data, words) => data.setData("text/plain", words), text);
    await target.evaluate(
      (element, data) =>
        element.dispatchEvent(
          new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
        ),
      clipboardData,
    );
  }
}

/** A file as the tests hand it to the page (Playwright's `setInputFiles` shape). */
export interface PictureFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

function wire(file: PictureFile): { name: string; type: string; base64: string } {
  return { name: file.name, type: file.mimeType, base64: file.buffer.toString("base64") };
}

/** Runs in the page: a DataTransfer holding the one file, as a drop or a paste carries it. */
function transferOf({ name, type, base64 }: { name: string; type: string; base64: string }): DataTransfer {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type }));
  return transfer;
}
