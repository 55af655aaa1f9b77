import type { ReactNode } from "react";
import { TOPICS_MAX } from "../../../shared/limits";
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

/**
 * The topics as a group of checkboxes named "Topics", in a box that scrolls when the desk has
 * many, so the fields below it and the composer's preview stay near on a phone. Once an item
 * carries the most topics it may, the rest cannot be ticked, and the group says why.
 */
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
  const full = selected.length >= TOPICS_MAX;
  const describedBy = [
    `${idPrefix}-topics-hint`,
    `${idPrefix}-topics-limit`,
    error === undefined ? "" : `${idPrefix}-topics-error`,
  ]
    .filter((part) => part !== "")
    .join(" ");
  return (
    <fieldset
      className="field topic-choice"
      aria-describedby={describedBy}
      data-invalid={error === undefined ? undefined : "true"}
    >
      <legend>Topics</legend>
      <p id={`${idPrefix}-topics-hint`} className="hint">
        Choose 1 to {TOPICS_MAX}.
      </p>
      <div className="topic-options">
        {topics.map((topic) => {
          const checked = selected.includes(topic.slug);
          return (
            <label key={topic.slug} className="check">
              <input
                type="checkbox"
                checked={checked}
                disabled={full && !checked}
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
          );
        })}
      </div>
      {/* A live region, so the limit is heard the moment it is reached, not only seen. */}
      <p id={`${idPrefix}-topics-limit`} className="hint" role="status">
        {full && `${TOPICS_MAX} topics chosen, the most an item can carry: untick one to choose another.`}
      </p>
      {error !== undefined && (
        <p id={`${idPrefix}-topics-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/**
 * Moves focus to the first field marked invalid inside `form` (for the topics, their first
 * checkbox), so the operator lands where the work is and hears what to do there.
 */
export function focusFirstInvalid(form: HTMLElement | null): void {
  const first = form?.querySelector('[aria-invalid="true"], [data-invalid="true"]');
  const target = first instanceof HTMLFieldSetElement ? first.querySelector("input:not(:disabled)") : first;
  if (target instanceof HTMLElement) target.focus();
}

/** Ctrl+Enter, or Cmd+Enter on a Mac. */
export function isSubmitShortcut(event: { key: string; ctrlKey: boolean; metaKey: boolean }): boolean {
  return event.key === "Enter" && (event.ctrlKey || event.metaKey);
}
