import type { Ref } from "react";
import type { ItemImageInput } from "../../../shared/fields";
import type { ItemSource } from "../../../shared/item";
import { HEADLINE_MAX } from "../../../shared/limits";
import { Field, fieldError, TopicChoice } from "./fields";
import { ImageField, type PictureDraft, type PictureUpload } from "./ImageField";

/** What an operator writes for an item, in the composer and in the editor alike. */
export interface ItemFieldValues {
  headline: string;
  summary: string;
  url: string;
  topics: string[];
  /** Always urgency ≤ 3: the checkbox and the Urgency choice move together. */
  breaking: boolean;
  pinned: boolean;
  /** ninjs urgency, 1 flash to 9. */
  urgency: number;
  /** "" while the desk has not said. */
  verification: "" | "unconfirmed" | "confirmed" | "disputed";
  keyEvent: boolean;
  /** One source a line: `Name | role | https://link`, role and link optional. */
  sources: string;
  /** The uploaded picture with the alt text and credit written for it, or none. */
  image: PictureDraft | null;
}

/** The Sources box's lines as the API's `sources`. */
export function sourcesOf(text: string): ItemSource[] {
  return text
    .split("\n")
    .map((line) => line.split("|").map((part) => part.trim()))
    .filter(([name]) => name !== undefined && name !== "")
    .map(([name = "", role = "", uri = ""]) => ({
      name,
      ...(role === "" ? {} : { role }),
      ...(uri === "" ? {} : { uri }),
    }));
}

/** The API's `sources` as the Sources box writes them. */
export function sourcesText(sources: readonly ItemSource[]): string {
  return sources
    .map(({ name, role, uri }) => [name, role ?? "", uri ?? ""].join(" | ").replace(/( \| )+$/, ""))
    .join("\n");
}

/** The picture as the API's `image`: its id, alt text and credit (the server knows its size). */
export function imageInputOf(image: PictureDraft | null): ItemImageInput | null {
  if (image === null) return null;
  return { id: image.id, alt: image.alt, ...(image.credit.trim() === "" ? {} : { credit: image.credit }) };
}

/** What the form sends: its values as the API's fields (the sources parsed from their lines). */
export function apiFieldsOf<T extends Partial<ItemFieldValues>>(
  values: T,
): Omit<T, "sources" | "image"> & { sources?: ItemSource[]; image?: ItemImageInput | null } {
  const { sources, image, ...rest } = values;
  return {
    ...rest,
    ...(sources === undefined ? {} : { sources: sourcesOf(sources) }),
    ...(image === undefined ? {} : { image: imageInputOf(image) }),
  };
}

/** The Urgency choice: the named grades first, so each is one keystroke away (F, A, U). */
const URGENCIES = [
  { value: 1, label: "Flash (1)" },
  { value: 2, label: "Alert (2)" },
  { value: 3, label: "Urgent (3)" },
  { value: 4, label: "Routine (4)" },
  { value: 5, label: "Routine (5, default)" },
  { value: 6, label: "Routine (6)" },
  { value: 7, label: "Routine (7)" },
  { value: 8, label: "Routine (8)" },
  { value: 9, label: "Routine (9)" },
] as const;

/**
 * Headline (with its count to 200), Summary, Link, Topics, the signals and the picture, each with
 * the server's error for it beside it. The form around them takes dropped and pasted pictures
 * (`usePictureUpload`'s handlers) as if chosen with the Image field's picker.
 */
export function ItemFields({
  idPrefix,
  values,
  onChange,
  errors,
  headlineRef,
  picture,
}: {
  idPrefix: string;
  values: ItemFieldValues;
  onChange: (change: Partial<ItemFieldValues>) => void;
  errors: Record<string, string>;
  headlineRef?: Ref<HTMLInputElement>;
  /** The form's picture upload (`usePictureUpload`): the form holds it to wait for it before sending. */
  picture: PictureUpload;
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
      {/* The picture goes with the words, before the topics and signals. */}
      <ImageField
        idPrefix={idPrefix}
        image={values.image}
        onChange={(image) => onChange({ image })}
        upload={picture}
        errors={errors}
      />
      <TopicChoice
        idPrefix={idPrefix}
        selected={values.topics}
        onChange={(topics) => onChange({ topics })}
        error={fieldError(errors, "topics")}
      />
      <Field id={`${idPrefix}-urgency`} label="Urgency" error={fieldError(errors, "urgency")}>
        {(describedBy, invalid) => (
          <select
            id={`${idPrefix}-urgency`}
            value={values.urgency}
            onChange={(event) => {
              const urgency = Number(event.target.value);
              onChange({ urgency, breaking: urgency <= 3 });
            }}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          >
            {URGENCIES.map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${idPrefix}-verification`} label="Verification" error={fieldError(errors, "verification")}>
        {(describedBy, invalid) => (
          <select
            id={`${idPrefix}-verification`}
            value={values.verification}
            onChange={(event) => {
              const verification = event.target.value;
              if (
                verification === "" ||
                verification === "unconfirmed" ||
                verification === "confirmed" ||
                verification === "disputed"
              )
                onChange({ verification });
            }}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          >
            <option value="">Not said</option>
            <option value="unconfirmed">Unconfirmed</option>
            <option value="confirmed">Confirmed</option>
            <option value="disputed">Disputed</option>
          </select>
        )}
      </Field>
      <Field
        id={`${idPrefix}-sources`}
        label="Sources"
        error={fieldError(errors, "sources")}
        hint="One a line: name | role | link (role and link optional), at most 10."
      >
        {(describedBy, invalid) => (
          <textarea
            id={`${idPrefix}-sources`}
            rows={2}
            dir="auto"
            value={values.sources}
            onChange={(event) => onChange({ sources: event.target.value })}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          />
        )}
      </Field>
      <div className="checks">
        <Check
          label="Breaking"
          checked={values.breaking}
          // Breaking is urgency 1–3: ticking it makes a routine item urgent, unticking makes it routine.
          onChange={(breaking) =>
            onChange({
              breaking,
              urgency: breaking ? Math.min(values.urgency, 3) : Math.max(values.urgency, 5),
            })
          }
        />
        <Check label="Pinned" checked={values.pinned} onChange={(pinned) => onChange({ pinned })} />
        <Check label="Key event" checked={values.keyEvent} onChange={(keyEvent) => onChange({ keyEvent })} />
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
