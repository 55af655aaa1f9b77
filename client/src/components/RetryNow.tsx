import { type RefObject, useEffect, useRef } from "react";
import { retryNow } from "../socket";

/**
 * "Retry now" while the connection is cut (`cut`), beside a status line (`statusRef`, focusable
 * with tabIndex -1). The button goes away once the page is back; a keyboard user who was on it
 * keeps their place on the status instead of falling to the page body.
 */
export function RetryNow({ cut, statusRef }: { cut: boolean; statusRef: RefObject<HTMLElement | null> }) {
  const retryFocused = useRef(false);
  useEffect(() => {
    if (cut || !retryFocused.current) return;
    retryFocused.current = false;
    statusRef.current?.focus();
  }, [cut, statusRef]);
  if (!cut) return null;
  return (
    <button
      type="button"
      className="retry"
      onClick={retryNow}
      onFocus={() => {
        retryFocused.current = true;
      }}
      onBlur={() => {
        retryFocused.current = false;
      }}
    >
      Retry now
    </button>
  );
}
