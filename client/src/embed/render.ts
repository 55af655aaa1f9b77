import type { EmbedOptions } from "../../../shared/embeds";
import type { Item, ItemImage } from "../../../shared/item";
import { mediaPath, mediaSrcset } from "../../../shared/media";
import type { ConnectionState } from "../store/connection";

/*
 * The embed's DOM, written by hand: React would take the embed over its weight budget (60 KB of
 * gzipped JavaScript, scripts/check-bundle.ts). Text goes in as text nodes, never as HTML.
 */

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A link to the item's permalink, opened in a new tab: the partner's page stays where it is. */
function permalink(item: Item): HTMLAnchorElement {
  return element(
    "a",
    { href: `/items/${encodeURIComponent(item.id)}`, target: "_blank", rel: "noopener", dir: "auto" },
    item.headline,
    element("span", { class: "sr-only" }, " (opens in a new tab)"),
  );
}

function clock(iso: string): HTMLTimeElement {
  const at = new Date(iso);
  return element(
    "time",
    { datetime: iso, title: at.toLocaleString() },
    at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
  );
}

/** The page's parts that stay; `list` is filled again whenever the shown items change. */
export interface EmbedFrame {
  root: HTMLElement;
  list: HTMLElement;
  status: HTMLElement;
}

/** Builds the embed's frame: the ticker's marquee or the feed, a connection status and a link to the site. */
export function buildFrame(container: HTMLElement, options: EmbedOptions): EmbedFrame {
  const list =
    options.kind === "ticker"
      ? element("ul", { class: "embed-headlines" })
      : element("div", { role: "feed", "aria-label": "News feed", class: "embed-feed" });
  // The ticker's headlines stay a list inside the marquee, as they are on the dashboard.
  const main =
    options.kind === "ticker"
      ? element("div", { role: "marquee", "aria-label": "Breaking news", class: "embed-window" }, list)
      : list;
  const status = element("p", { role: "status", class: "embed-status" }, CONNECTION_TEXT.connecting);
  const site = element(
    "a",
    { href: "/", target: "_blank", rel: "noopener", class: "embed-site" },
    "livedesk",
    element("span", { class: "sr-only" }, " (opens in a new tab)"),
  );
  const root = element(
    "div",
    { class: `embed embed-${options.kind}${options.compact ? " compact" : ""}` },
    ...(options.kind === "ticker"
      ? [element("span", { class: "embed-label", "aria-hidden": "true" }, "Breaking")]
      : []),
    main,
    element("footer", { class: "embed-footer" }, status, site),
  );
  container.replaceChildren(root);
  return { root, list, status };
}

export function renderStatus(frame: EmbedFrame, connection: ConnectionState): void {
  const text = CONNECTION_TEXT[connection];
  if (frame.status.textContent !== text) frame.status.textContent = text;
}

/**
 * Writes the shown items into the frame. Focus stays on the headline it was on, so a keyboard
 * reader is not thrown out of the frame when news arrives.
 */
export function renderItems(
  frame: EmbedFrame,
  items: readonly Item[],
  options: EmbedOptions,
  synced: boolean,
): void {
  const focusedId = document.activeElement?.closest<HTMLElement>("[data-id]")?.dataset.id;
  const rows =
    items.length === 0
      ? [
          element(
            options.kind === "ticker" ? "li" : "p",
            { class: "embed-empty" },
            synced
              ? options.kind === "ticker"
                ? "No breaking news right now."
                : "No news yet."
              : "Loading the latest news…",
          ),
        ]
      : items.map((item, index) =>
          options.kind === "ticker" ? tickerRow(item) : feedRow(item, index, items.length, options),
        );
  frame.list.replaceChildren(...rows);
  if (options.kind === "feed") frame.list.setAttribute("aria-busy", synced ? "false" : "true");
  if (focusedId !== undefined)
    frame.list.querySelector<HTMLElement>(`[data-id="${CSS.escape(focusedId)}"] a`)?.focus();
}

function tickerRow(item: Item): HTMLLIElement {
  return element("li", { "data-id": item.id }, permalink(item));
}

/** The item's picture, sized before it loads (width and height), with its credit. */
function figure(image: ItemImage): HTMLElement {
  const picture = element("img", {
    src: mediaPath(image.id, 640),
    srcset: mediaSrcset(image.id),
    sizes: "100vw",
    width: String(image.width),
    height: String(image.height),
    alt: image.alt,
    loading: "lazy",
    decoding: "async",
  });
  return image.credit === undefined || image.credit === ""
    ? element("figure", {}, picture)
    : element("figure", {}, picture, element("figcaption", { dir: "auto" }, `Picture: ${image.credit}`));
}

function feedRow(item: Item, index: number, size: number, options: EmbedOptions): HTMLElement {
  const headingId = `headline-${item.id}`;
  const parts: Node[] = [];
  if (item.breaking) parts.push(element("span", { class: "badge badge-breaking" }, "Breaking"));
  parts.push(element("h2", { id: headingId, class: "headline" }, permalink(item)));
  if (!options.compact && item.image !== null) parts.push(figure(item.image));
  if (!options.compact && item.summary !== "")
    parts.push(element("p", { class: "summary", dir: "auto" }, item.summary));
  if (item.correction !== null)
    parts.push(element("p", { class: "correction" }, element("strong", {}, "Correction: "), item.correction));
  parts.push(element("p", { class: "meta" }, clock(item.publishedAt)));
  return element(
    "article",
    {
      "data-id": item.id,
      "aria-labelledby": headingId,
      "aria-posinset": String(index + 1),
      "aria-setsize": String(size),
      class: item.breaking ? "item breaking" : "item",
    },
    ...parts,
  );
}
