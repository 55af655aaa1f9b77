import { useId, useLayoutEffect, useRef, useState } from "react";

/** Summaries shorter than this never fill more than the clamped lines, so they are not measured. */
const SHORT = 240;

/**
 * An item's summary in the feed, clamped to a few lines (a 4,000-character summary would fill a
 * phone screen) with a "Show more" button when there is more to read.
 */
export function Summary({ text }: { text: string }) {
  const id = useId();
  const ref = useRef<HTMLParagraphElement>(null);
  const [expanded, setExpanded] = useState(false);
  const [overflows, setOverflows] = useState(false);

  useLayoutEffect(() => {
    const paragraph = ref.current;
    if (paragraph === null || text.length < SHORT || expanded) return;
    const measure = () => setOverflows(paragraph.scrollHeight > paragraph.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(paragraph);
    return () => observer.disconnect();
  }, [text, expanded]);

  return (
    <>
      <p id={id} ref={ref} className={expanded ? "summary" : "summary clamped"} dir="auto">
        {text}
      </p>
      {(overflows || expanded) && (
        <button
          type="button"
          className="show-more"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded((open) => !open)}
        >
          {expanded ? "Show less" : "Show more"}
        </button>
      )}
    </>
  );
}
