import { type RefObject, useLayoutEffect, useRef } from "react";
import { retryNow } from "../socket";

/**
 * "Retry now" while the connection is cut (`cut`), beside a status line (`statusRef`, focusable
 * with tabIndex -1). The button goes away once the page is back; a keyboard user who was on it
 * keeps their place on the status instead of falling to the page body.
 */
export function RetryNow({ cut, statusRef }: { cut: boolean; statusRef: RefObject<HTMLElement | null> }) {
  return cut ? <RetryButton statusRef={statusRef} /> : null;
}

function RetryButton({ statusRef }: { statusRef: RefObject<HTMLElement | null> }) {
  const button = useRef<HTMLButtonElement>(null);
  // Runs as the button is taken away, while it is still on the page: whether it holds the focus is
  // plain to see then, where a blur event on its removal fires in one renderer and not in another.
  useLayoutEffect(() => {
    const element = button.current;
    return () => {
      if (element !== null && document.activeElement === element) statusRef.current?.focus();
    };
  }, [statusRef]);
  return (
    <button type="button" className="retry" onClick={retryNow} ref={button}>
      Retry now
    </button>
  );
}
