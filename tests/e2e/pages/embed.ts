import type { FrameLocator, Locator, Page } from "@playwright/test";

/** A livedesk embed inside a partner's page, found by the iframe's title as a screen reader finds it. */
export class EmbedFrame {
  readonly iframe: Locator;
  readonly frame: FrameLocator;
  /** The ticker's "Breaking news" marquee (ticker embeds). */
  readonly ticker: Locator;
  /** The "News feed" (feed embeds). */
  readonly feed: Locator;
  readonly status: Locator;

  constructor(
    readonly page: Page,
    readonly kind: "ticker" | "feed",
  ) {
    this.iframe = page.getByTitle(kind === "ticker" ? "Breaking news — livedesk" : "News feed — livedesk");
    this.frame = this.iframe.contentFrame();
    this.ticker = this.frame.getByRole("marquee", { name: "Breaking news" });
    this.feed = this.frame.getByRole("feed", { name: "News feed" });
    this.status = this.frame.getByRole("status");
  }

  /** A headline's link, as the ticker or the feed shows it. */
  headline(text: string): Locator {
    return this.frame.getByRole("link", { name: text });
  }

  /** The headlines shown, in order (each says it opens in a new tab). */
  headlines(): Locator {
    return this.kind === "ticker" ? this.ticker.getByRole("listitem") : this.feed.getByRole("heading");
  }
}
