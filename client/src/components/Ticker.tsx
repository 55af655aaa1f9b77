import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { Link } from "wouter";
import { urgencyGrade, VERIFICATION_LABELS } from "../../../shared/item";
import { useStore } from "../store";

const TICKER_MAX = 12;

/**
 * Readable speeds in pixels per second: the same whatever the headlines' length, since it is the
 * eye that follows the text. "Normal" is the default; the reader's choice is kept in the browser.
 */
export const TICKER_SPEEDS = { slow: 50, normal: 70, fast: 90 } as const;
type TickerSpeed = keyof typeof TICKER_SPEEDS;
const SPEED_KEY = "livedesk:ticker-speed";

function isSpeed(value: string | null): value is TickerSpeed {
  return value === "slow" || value === "normal" || value === "fast";
}

function savedSpeed(): TickerSpeed {
  try {
    const saved = window.localStorage.getItem(SPEED_KEY);
    return isSpeed(saved) ? saved : "normal";
  } catch {
    return "normal";
  }
}

const REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

function subscribeReducedMotion(onChange: () => void) {
  const query = window.matchMedia(REDUCED_MOTION);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

function useReducedMotion(): boolean {
  return useSyncExternalStore(
    subscribeReducedMotion,
    () => window.matchMedia(REDUCED_MOTION).matches,
    () => false,
  );
}

/** The width of the headlines and of the window they pass through, kept up to date. */
function useWidths() {
  const windowRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const [widths, setWidths] = useState({ list: 0, window: 0 });
  useLayoutEffect(() => {
    const measure = () => {
      // Keyboard focus inside lays the headlines out still and wrapped; what moves is decided by
      // their width in a row, so that choice (and the controls) stay put while focus is there.
      if (windowRef.current?.querySelector("a:focus-visible") != null) return;
      const list = listRef.current?.scrollWidth ?? 0;
      const window = windowRef.current?.clientWidth ?? 0;
      setWidths((old) => (old.list === list && old.window === window ? old : { list, window }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    if (windowRef.current !== null) observer.observe(windowRef.current);
    if (listRef.current !== null) observer.observe(listRef.current);
    return () => observer.disconnect();
  });
  return { windowRef, listRef, widths };
}

/**
 * The breaking headlines, newest first, moving right to left at a constant speed. The track is
 * drawn twice so the loop has no seam; the copy is hidden from assistive technology. Nothing moves
 * when the headlines fit, or under prefers-reduced-motion (then they are a list), and only then are
 * the pause button and the speed choice shown. It stops on hover, on focus and with the button;
 * keyboard focus inside lays the headlines out still, so a focused link is never half hidden.
 */
export function Ticker() {
  const items = useStore((state) => state.view.items);
  // Before the server's first answer the page cannot know that there is no breaking news.
  const synced = useStore((state) => state.synced);
  const [paused, setPaused] = useState(false);
  const [speed, setSpeed] = useState<TickerSpeed>(savedSpeed);
  const reducedMotion = useReducedMotion();
  const { windowRef, listRef, widths } = useWidths();
  const breaking = useMemo(
    () => items.filter((item) => item.breaking && item.status === "published").slice(0, TICKER_MAX),
    [items],
  );
  const moving = !reducedMotion && breaking.length > 0 && widths.list > widths.window;

  useEffect(() => {
    try {
      window.localStorage.setItem(SPEED_KEY, speed);
    } catch {
      // Without storage the choice lasts as long as the page.
    }
  }, [speed]);

  const headlines = (copy: boolean) =>
    breaking.map((item) => (
      <li key={item.id} className={item.urgency === 1 ? "ticker-flash" : undefined}>
        {/* The grade and verification as words beside the link, so the link keeps the headline as its name. */}
        {item.urgency <= 2 && <span className="ticker-grade">{urgencyGrade(item.urgency)}</span>}
        <Link href={`/items/${encodeURIComponent(item.id)}`} tabIndex={copy ? -1 : undefined} dir="auto">
          {item.headline}
        </Link>
        {item.verification !== null && (
          <span className="ticker-verification">{VERIFICATION_LABELS[item.verification]}</span>
        )}
      </li>
    ));

  return (
    <section className="ticker" aria-label="Ticker" data-paused={paused ? "" : undefined}>
      {moving && (
        <div className="ticker-controls">
          <button
            type="button"
            className="ticker-toggle"
            onClick={() => setPaused((p) => !p)}
            aria-label={paused ? "Play ticker" : "Pause ticker"}
          >
            <span aria-hidden="true">{paused ? "▶" : "❚❚"}</span>
          </button>
          <select
            className="ticker-speed"
            aria-label="Ticker speed"
            value={speed}
            onChange={(event) => {
              if (isSpeed(event.target.value)) setSpeed(event.target.value);
            }}
          >
            <option value="slow">Slow</option>
            <option value="normal">Normal</option>
            <option value="fast">Fast</option>
          </select>
        </div>
      )}
      <div role="marquee" aria-label="Breaking news" className="ticker-window" ref={windowRef}>
        {breaking.length === 0 ? (
          <p className="ticker-empty">
            {synced ? "No breaking news right now." : "Loading the latest news…"}
          </p>
        ) : (
          <div
            className={moving ? "ticker-track moving" : "ticker-track"}
            style={moving ? { animationDuration: `${widths.list / TICKER_SPEEDS[speed]}s` } : undefined}
            data-testid="ticker-track"
          >
            <ul className="ticker-list" ref={listRef}>
              {headlines(false)}
            </ul>
            {moving && (
              <ul className="ticker-list ticker-copy" aria-hidden="true">
                {headlines(true)}
              </ul>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
