import { useEffect, useState } from "react";
import { useStore, useStoreApi } from "../store";

/** At most one announcement per this many milliseconds, so a burst does not flood a screen reader. */
const ANNOUNCE_EVERY_MS = 5000;

/** Reads new breaking headlines out through a polite live region, throttled and batched. */
export function LiveAnnouncer() {
  const store = useStoreApi();
  const pending = useStore((state) => state.announcements.length);
  const [text, setText] = useState("");
  const [lastAt, setLastAt] = useState(0);

  useEffect(() => {
    if (pending === 0) return;
    const wait = Math.max(0, lastAt + ANNOUNCE_EVERY_MS - Date.now());
    const timer = setTimeout(() => {
      const headlines = store.getState().takeAnnouncements();
      if (headlines.length === 0) return;
      const shown = headlines.slice(-3);
      const more = headlines.length - shown.length;
      setText(`Breaking: ${shown.join(". ")}${more > 0 ? `. And ${more} more.` : "."}`);
      setLastAt(Date.now());
    }, wait);
    return () => clearTimeout(timer);
  }, [store, pending, lastAt]);

  return (
    <div className="sr-only" role="log" aria-label="Announcements" aria-live="polite" aria-atomic="true">
      {text}
    </div>
  );
}
