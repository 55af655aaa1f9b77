import type { Ref } from "react";
import { HEADLINE_MAX } from "../../../shared/limits";
import { Field, fieldError, TopicChoice } from "./fields";

/** What an operator writes for an item, in the composer and in the editor alike. */
export interface ItemFieldValues {
  headline: string;
  summary: string;
  url: string;
  topics: string[];
  breaking: boolean;
  pinned: boolean;
}

/**
 * Headline (with its count to 200), Summary, Link, Topics, Breaking and Pinned, each with the
 * server's error for it beside it.
 */
export function ItemFields({
  idPrefix,
  values,
  onChange,
  errors,
  headlineRef,
}: {
  idPrefix: string;
  values: ItemFieldValues;
  onChange: (change: Partial<ItemFieldValues>) => void;
  errors: Record<string, string>;
  headlineRef?: Ref<HTMLInputElement>;
}) {
  const length = values.headline.trim().length;
  return (
    <>
      <Field
        id={`${idPrefix}-headline`}
        label="Headline"
        error={fieldError(errors, "headline")}
        hint={
          <span className={length > HEADLINE_MAX ? "over" : undefined}>
            {length}/{HEADLINE_MAX} characters
          </span>
        }
      >
        {(describedBy, invalid) => (
          <input
            id={`${idPrefix}-headline`}
            ref={headlineRef}
            dir="auto"
            value={values.headline}
            onChange={(event) => onChange({ headline: event.target.value })}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            required
          />
        )}
      </Field>
      <Field id={`${idPrefix}-summary`} label="Summary" error={fieldError(errors, "summary")}>
        {(describedBy, invalid) => (
          <textarea
            id={`${idPrefix}-summary`}
            rows={4}
            dir="auto"
            value={values.summary}
            onChange={(event) => onChange({ summary: event.target.value })}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          />
        )}
      </Field>
      <Field id={`${idPrefix}-link`} label="Link" error={fieldError(errors, "url")}>
        {(describedBy, invalid) => (
          <input
            id={`${idPrefix}-link`}
            type="url"
            inputMode="url"
            placeholder="https://"
            value={values.url}
            onChange={(event) => onChange({ url: event.target.value })}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          />
        )}
      </Field>
      <TopicChoice
        idPrefix={idPrefix}
        selected={values.topics}
        onChange={(topics) => onChange({ topics })}
        error={fieldError(errors, "topics")}
      />
      <div className="checks">
        <Check label="Breaking" checked={values.breaking} onChange={(breaking) => onChange({ breaking })} />
        <Check label="Pinned" checked={values.pinned} onChange={(pinned) => onChange({ pinned })} />
      </div>
    </>
  );
}

function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      {label}
    </label>
  );
}
