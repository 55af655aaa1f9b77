import { type MouseEvent, useEffect, useRef, useState } from "react";
import type { Item } from "../../../shared/item";
import { useStore } from "../store";
import { useKeyEvents } from "../useKeyEvents";
import { formatClock } from "./RelativeTime";

/** Wide screens have room to show the list at once; on a phone it waits behind its summary. */
const WIDE = "(min-width: 60rem)";

/**
 * "Key events": the newest key-event headlines of the reader's filter, live, and more on demand.
 * Each is a link to the item's permalink (a new tab, or no script, still gets there); a plain
 * click or Enter jumps to the item in the feed instead, however far down it is.
 */
export function KeyEvents() {
  const filter = useStore((state) => state.filter);
  const jumpTo = useStore((state) => state.jumpTo);
  const seeking = useStore((state) => state.jumpTarget);
  const ended = useStore((state) => state.jumpOutcome);
  const { events, more, loading, failed, loadMore } = useKeyEvents(filter);
  const [open] = useState(() => window.matchMedia(WIDE).matches);
  const list = useRef<HTMLOListElement>(null);
  // Where the list stood when the reader asked for more: focus goes to the first one added, as
  // the button may be gone once the last page is in.
  const askedAt = useRef<number | null>(null);
  useEffect(() => {
    const at = askedAt.current;
    if (at === null || loading) return;
    askedAt.current = null;
    list.current?.querySelectorAll<HTMLElement>("a")[at]?.focus();
  }, [loading]);
  if (events.length === 0 && !more) return null;

  const showMore = () => {
    askedAt.current = events.length;
    loadMore();
  };

  const choose = (event: MouseEvent<HTMLAnchorElement>, item: Item) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    jumpTo({ id: item.id, headline: item.headline });
  };

  return (
    <nav className="key-events" aria-label="Key events">
      <details open={open}>
        <summary>
          Key events <span className="key-events-count">({events.length})</span>
        </summary>
        <ol ref={list}>
          {events.map((item) => (
            <li key={item.id}>
              <time dateTime={item.publishedAt}>{formatClock(item.publishedAt, Date.now())}</time>{" "}
              <a
                className="key-event-link"
                href={`/items/${encodeURIComponent(item.id)}`}
                dir="auto"
                onClick={(event) => choose(event, item)}
              >
                {item.headline}
              </a>
            </li>
          ))}
        </ol>
        {more && (
          <button type="button" onClick={showMore}>
            More key events
          </button>
        )}
        <p className="key-events-status" aria-live="polite">
          {seeking !== null
            ? `Finding “${seeking.headline}” in the feed…`
            : ended?.outcome === "missing"
              ? `“${ended.target.headline}” is no longer in the feed.`
              : ended?.outcome === "failed"
                ? `“${ended.target.headline}” could not be loaded. Choose it again to retry.`
                : failed
                  ? "Key events could not be loaded."
                  : loading
                    ? "Loading key events…"
                    : ""}
        </p>
      </details>
    </nav>
  );
}
