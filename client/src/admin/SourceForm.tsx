import { type FormEvent, useState } from "react";
import {
  createSourceSchema,
  type SourceMode,
  WIRE_INTERVAL_MAX_SECONDS,
  WIRE_INTERVAL_MIN_SECONDS,
  type WireSource,
} from "../../../shared/wires";
import { adviceBySchema, adviceFromServer, namesOf, type Words } from "./advice";
import { ApiError } from "./api";
import { Field, fieldError, TopicChoice } from "./fields";
import { useFieldErrors } from "./useFieldErrors";

/** A wire's fields in the admin's words. */
const SOURCE_WORDS: Words = {
  url: () => "Enter the feed's full address, starting with https:// or http://.",
  name: (problem) =>
    problem === "missing"
      ? "Write the wire's name, e.g. the agency's: readers see it as the source."
      : problem === "too_long"
        ? "Shorten the name to 200 characters or fewer."
        : "Remove line breaks, tabs and other invisible characters from the name.",
  topics: (problem) =>
    problem === "missing" || problem === "too_short"
      ? "Choose at least one topic for the wire's items."
      : "Choose the topics again: one of them no longer exists.",
  intervalSeconds: () =>
    `Enter a whole number of seconds from ${WIRE_INTERVAL_MIN_SECONDS} to ${WIRE_INTERVAL_MAX_SECONDS}, or leave it empty.`,
};

/** What the form holds, as typed. */
export interface Draft {
  url: string;
  name: string;
  topics: string[];
  mode: SourceMode;
  interval: string;
}

export const EMPTY_DRAFT: Draft = { url: "", name: "", topics: [], mode: "publish", interval: "" };

export function bodyOf(draft: Draft) {
  const interval = draft.interval.trim();
  return {
    url: draft.url.trim(),
    name: draft.name,
    topics: draft.topics,
    mode: draft.mode,
    intervalSeconds: interval === "" ? null : Number(interval),
  };
}

/** The form that adds a wire or edits one. */
export function SourceForm({
  idPrefix,
  initial,
  submitLabel,
  onSaved,
  save,
}: {
  idPrefix: string;
  initial: Draft;
  submitLabel: string;
  onSaved: (source: WireSource) => void;
  save: (body: ReturnType<typeof bodyOf>) => Promise<WireSource>;
}) {
  const [draft, setDraft] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);
  const { errors, formRef, refuse, clear, touch } = useFieldErrors();
  const set = <K extends keyof Draft>(key: K, value: Draft[K], field: string = key) => {
    setDraft((current) => ({ ...current, [key]: value }));
    touch(field);
  };
  const refused = (advice: Record<string, string>) => {
    refuse(advice);
    setMessage(`Not saved yet: check ${namesOf(advice)} above.`);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = bodyOf(draft);
    const advice = adviceBySchema(createSourceSchema, body, SOURCE_WORDS);
    if (Object.keys(advice).length > 0) {
      refused(advice);
      return;
    }
    try {
      const source = await save(body);
      clear();
      setMessage(`Saved ${source.name}.`);
      onSaved(source);
    } catch (caught) {
      if (!(caught instanceof ApiError)) {
        setMessage("The server could not be reached; try again.");
        return;
      }
      const fromServer = adviceFromServer(caught.fields, SOURCE_WORDS);
      if (Object.keys(fromServer).length > 0) refused(fromServer);
      else setMessage(caught.message);
    }
  };
  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      <Field id={`${idPrefix}-url`} label="Feed address" error={fieldError(errors, "url")}>
        {(describedBy, invalid) => (
          <input
            id={`${idPrefix}-url`}
            type="url"
            inputMode="url"
            value={draft.url}
            onChange={(event) => set("url", event.target.value)}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          />
        )}
      </Field>
      <Field id={`${idPrefix}-name`} label="Name" error={fieldError(errors, "name")}>
        {(describedBy, invalid) => (
          <input
            id={`${idPrefix}-name`}
            value={draft.name}
            onChange={(event) => set("name", event.target.value)}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          />
        )}
      </Field>
      <TopicChoice
        idPrefix={idPrefix}
        selected={draft.topics}
        onChange={(topics) => set("topics", topics)}
        error={fieldError(errors, "topics")}
      />
      <fieldset className="field">
        <legend>New entries</legend>
        <label className="check">
          <input
            type="radio"
            name={`${idPrefix}-mode`}
            checked={draft.mode === "publish"}
            onChange={() => set("mode", "publish")}
          />
          Publish at once
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${idPrefix}-mode`}
            checked={draft.mode === "hold"}
            onChange={() => set("mode", "hold")}
          />
          Hold in Incoming
        </label>
      </fieldset>
      <Field
        id={`${idPrefix}-interval`}
        label="Interval in seconds"
        error={fieldError(errors, "intervalSeconds")}
        hint="Leave empty to follow the wire's own rhythm (5 minutes until it is known)."
      >
        {(describedBy, invalid) => (
          <input
            id={`${idPrefix}-interval`}
            inputMode="numeric"
            value={draft.interval}
            onChange={(event) => set("interval", event.target.value, "intervalSeconds")}
            aria-describedby={describedBy}
            aria-invalid={invalid}
          />
        )}
      </Field>
      <button type="submit" className="primary">
        {submitLabel}
      </button>
      <p role="status">{message}</p>
    </form>
  );
}
