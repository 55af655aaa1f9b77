import { useMemo, useState } from "react";
import { Link } from "wouter";
import { useStore } from "../store";

const TICKER_MAX = 12;

/**
 * The breaking headlines, newest first, moving right to left. The track is drawn twice so the loop
 * has no seam; the copy is hidden from assistive technology. It stops on hover, on keyboard focus,
 * with the pause button, and under prefers-reduced-motion (then it shows the headlines as a list).
 */
export function Ticker() {
  const items = useStore((state) => state.view.items);
  // Before the server's first answer the page cannot know that there is no breaking news.
  const synced = useStore((state) => state.synced);
  const [paused, setPaused] = useState(false);
  const breaking = useMemo(
    () => items.filter((item) => item.breaking && item.status === "published").slice(0, TICKER_MAX),
    [items],
  );
  // Roughly constant speed whatever the number of headlines: 6 seconds per headline.
  const duration = `${Math.max(breaking.length, 2) * 6}s`;

  const headlines = (copy: boolean) =>
    breaking.map((item) => (
      <li key={item.id}>
        <Link href={`/items/${encodeURIComponent(item.id)}`} tabIndex={copy ? -1 : undefined}>
          {item.headline}
        </Link>
      </li>
    ));

  return (
    <section className="ticker" data-paused={paused ? "" : undefined}>
      <button
        type="button"
        className="ticker-toggle"
        onClick={() => setPaused((p) => !p)}
        aria-label={paused ? "Play ticker" : "Pause ticker"}
      >
        <span aria-hidden="true">{paused ? "▶" : "❚❚"}</span>
      </button>
      <div role="marquee" aria-label="Breaking news" className="ticker-window">
        {breaking.length === 0 ? (
          <p className="ticker-empty">
            {synced ? "No breaking news right now." : "Loading the latest news…"}
          </p>
        ) : (
          <div className="ticker-track" style={{ animationDuration: duration }} data-testid="ticker-track">
            <ul className="ticker-list">{headlines(false)}</ul>
            <ul className="ticker-list ticker-copy" aria-hidden="true">
              {headlines(true)}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
