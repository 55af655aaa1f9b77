import { useEffect, useRef, useState } from "react";
import type { Item } from "../../../shared/item";

/** How long "Link copied" stays: long enough to read, gone before it is stale. */
const CONFIRMATION_MS = 4000;

/**
 * "Copy link": puts the item's permalink (absolute, from this page's origin) on the clipboard and
 * says so politely. Where the clipboard is refused (no permission, no secure context), the link is
 * shown selected in a field instead, for the reader to copy themselves. Named like the panel's row
 * buttons: "Copy link “headline”".
 */
export function CopyLink({ item }: { item: Item }) {
  const [state, setState] = useState<"idle" | "copied" | "refused">("idle");
  const field = useRef<HTMLInputElement>(null);
  const url = `${window.location.origin}/items/${encodeURIComponent(item.id)}`;

  useEffect(() => {
    // Focus and selection on the link, so Ctrl+C (or the phone's own menu) copies it.
    if (state === "refused") field.current?.focus();
    if (state !== "copied") return;
    const timer = setTimeout(() => setState("idle"), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = () => {
    // `navigator.clipboard` is missing outside a secure context: the same fallback as a refusal.
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(url))
      .then(
        () => setState("copied"),
        () => setState("refused"),
      );
  };

  return (
    <span className="copy-link">
      <button type="button" onClick={copy}>
        Copy link<span className="sr-only"> “{item.headline}”</span>
      </button>
      {state === "refused" && (
        <input
          ref={field}
          type="text"
          readOnly
          value={url}
          aria-label={`Link to “${item.headline}”`}
          onFocus={(event) => event.currentTarget.select()}
        />
      )}
      {/* A live region without role="status", so a page's one connection status stays the only one. */}
      <span aria-live="polite">
        {state === "copied" ? "Link copied" : state === "refused" ? "Copy the selected link" : ""}
      </span>
    </span>
  );
}
