import {
  EMBED_HEIGHT_MESSAGE,
  type EmbedKind,
  type EmbedOptions,
  parseEmbedOptions,
} from "../../../shared/embeds";
import { fetchItems } from "../api";
import { loadSavedView } from "../persist";
import { connect } from "../socket";
import { createDeskStore } from "../store";
import { buildFrame, renderItems, renderStatus } from "./render";
import { embedItems } from "./select";
import "./embed.css";

/*
 * `/embed/ticker` and `/embed/feed`: the timeline followed exactly as the dashboard follows it
 * (the same store, follower and connection: sync by seq, resume without gaps after a reconnect or
 * a server restart), shown in a frame on a partner's page.
 */

function kindOf(pathname: string): EmbedKind {
  return pathname.startsWith("/embed/ticker") ? "ticker" : "feed";
}

/** Tells the page around the frame how tall the embed is, so the loader sizes the iframe to it. */
function reportHeight(root: HTMLElement): void {
  if (window.parent === window) return;
  let last = -1;
  const send = () => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // Any page may frame an embed it is allowed to, and a height tells it nothing secret; the
    // loader checks that the message comes from this site's frame.
    window.parent.postMessage({ type: EMBED_HEIGHT_MESSAGE, height }, "*");
  };
  new ResizeObserver(send).observe(root);
  send();
}

function start(container: HTMLElement, options: EmbedOptions): void {
  const theme = options.theme;
  if (theme !== "auto") document.documentElement.dataset.theme = theme;
  const store = createDeskStore({ view: loadSavedView(), search: window.location.search });
  const frame = buildFrame(container, options);
  let shownKey = "";
  let olderAsked = false;

  const render = () => {
    const { view, synced, connection } = store.getState();
    renderStatus(frame, connection);
    const shown = embedItems(view.items, options);
    const key = `${synced}|${shown.map((item) => `${item.id}:${item.version}`).join(",")}`;
    if (key !== shownKey) {
      shownKey = key;
      renderItems(frame, shown, options, synced);
    }
    // The synced window holds the latest items of all topics; a quiet topic may need older ones,
    // asked again after each reconnect (its sync may have replaced the view with a new window).
    if (connection !== "live") olderAsked = false;
    if (
      synced &&
      connection === "live" &&
      !olderAsked &&
      shown.length < options.limit &&
      options.topics.length > 0
    ) {
      olderAsked = true;
      fetchItems({ topics: options.topics, q: "" }, null, undefined, "published", options.limit).then(
        (page) => store.getState().mergeItems(page.items),
        () => {
          olderAsked = false;
        },
      );
    }
  };
  store.subscribe(render);
  render();
  reportHeight(frame.root);
  connect(store);
}

const container = document.getElementById("embed");
if (container !== null) {
  const kind = kindOf(window.location.pathname);
  // The server answered this page only because its options were good: they parse here too.
  const parsed = parseEmbedOptions(kind, window.location.search);
  if ("options" in parsed) start(container, parsed.options);
}
