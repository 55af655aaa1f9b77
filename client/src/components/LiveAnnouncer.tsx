import { useEffect, useState } from "react";
import { useStore, useStoreApi } from "../store";

/** At most one announcement per this many milliseconds, so a burst does not flood a screen reader. */
const ANNOUNCE_EVERY_MS = 5000;

/** Throttled, batched text for one live region, from headlines taken out of the store. */
function useAnnouncement(pending: number, take: () => readonly string[], prefix: string): string {
  const [text, setText] = useState("");
  const [lastAt, setLastAt] = useState(0);
  useEffect(() => {
    if (pending === 0) return;
    const wait = Math.max(0, lastAt + ANNOUNCE_EVERY_MS - Date.now());
    const timer = setTimeout(() => {
      const headlines = take();
      if (headlines.length === 0) return;
      const shown = headlines.slice(-3);
      const more = headlines.length - shown.length;
      setText(`${prefix}: ${shown.join(". ")}${more > 0 ? `. And ${more} more.` : "."}`);
      setLastAt(Date.now());
    }, wait);
    return () => clearTimeout(timer);
  }, [take, prefix, pending, lastAt]);
  return text;
}

/**
 * Reads new breaking headlines out through a polite live region, and flashes (urgency 1) through
 * an assertive one that interrupts, each throttled and batched.
 */
export function LiveAnnouncer() {
  const store = useStoreApi();
  const breaking = useAnnouncement(
    useStore((state) => state.announcements.length),
    store.getState().takeAnnouncements,
    "Breaking",
  );
  const flash = useAnnouncement(
    useStore((state) => state.flashes.length),
    store.getState().takeFlashes,
    "Flash",
  );
  return (
    <>
      <div className="sr-only" role="log" aria-label="Announcements" aria-live="polite" aria-atomic="true">
        {breaking}
      </div>
      <div
        className="sr-only"
        role="alert"
        aria-label="Flash announcements"
        aria-live="assertive"
        aria-atomic="true"
      >
        {flash}
      </div>
    </>
  );
}
