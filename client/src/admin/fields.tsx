import type { ReactNode } from "react";
import { useStore } from "../store";

/** The first error the server named for `name` or any of its parts (`topics.1` counts for `topics`). */
export function fieldError(errors: Record<string, string>, name: string): string | undefined {
  return Object.entries(errors).find(([key]) => key === name || key.startsWith(`${name}.`))?.[1];
}

/** A labelled control with its error next to it, tied together for screen readers. */
export function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error: string | undefined;
  hint?: ReactNode;
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  const describedBy = [hint === undefined ? "" : `${id}-hint`, error === undefined ? "" : `${id}-error`]
    .filter((part) => part !== "")
    .join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(describedBy === "" ? undefined : describedBy, error !== undefined)}
      {hint !== undefined && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The topics as a group of checkboxes named "Topics". */
export function TopicChoice({
  idPrefix,
  selected,
  onChange,
  error,
}: {
  idPrefix: string;
  selected: readonly string[];
  onChange: (topics: string[]) => void;
  error: string | undefined;
}) {
  const topics = useStore((state) => state.topics);
  return (
    <fieldset
      className="field topic-choice"
      aria-describedby={error === undefined ? undefined : `${idPrefix}-topics-error`}
    >
      <legend>Topics</legend>
      {topics.map((topic) => (
        <label key={topic.slug} className="check">
          <input
            type="checkbox"
            checked={selected.includes(topic.slug)}
            onChange={(event) =>
              onChange(
                event.target.checked
                  ? [...selected, topic.slug]
                  : selected.filter((slug) => slug !== topic.slug),
              )
            }
          />
          {topic.name}
        </label>
      ))}
      {error !== undefined && (
        <p id={`${idPrefix}-topics-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** Ctrl+Enter, or Cmd+Enter on a Mac. */
export function isSubmitShortcut(event: { key: string; ctrlKey: boolean; metaKey: boolean }): boolean {
  return event.key === "Enter" && (event.ctrlKey || event.metaKey);
}
