import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { type Item, itemSchema } from "../../../shared/item";
import { sendEditing } from "../socket";
import { ApiError, operatorCall } from "./api";
import { Dialog } from "./Dialog";
import { Field, fieldError, isSubmitShortcut } from "./fields";
import { ItemFields, type ItemFieldValues } from "./ItemFields";

type Fields = ItemFieldValues;

function fieldsOf(item: Item): Fields {
  return {
    headline: item.headline,
    summary: item.summary,
    url: item.url ?? "",
    topics: [...item.topics],
    breaking: item.breaking,
    pinned: item.pinned,
  };
}

/** What the operator changed, compared with the version they started from. */
function changesOf(base: Fields, draft: Fields): Partial<Fields> {
  const changes: Partial<Fields> = {};
  if (draft.headline !== base.headline) changes.headline = draft.headline;
  if (draft.summary !== base.summary) changes.summary = draft.summary;
  if (draft.url !== base.url) changes.url = draft.url;
  if (draft.topics.join() !== base.topics.join()) changes.topics = draft.topics;
  if (draft.breaking !== base.breaking) changes.breaking = draft.breaking;
  if (draft.pinned !== base.pinned) changes.pinned = draft.pinned;
  return changes;
}

const KEYS: readonly (keyof Fields)[] = ["headline", "summary", "url", "topics", "breaking", "pinned"];

const LABELS: Record<keyof Fields, string> = {
  headline: "Headline",
  summary: "Summary",
  url: "Link",
  topics: "Topics",
  breaking: "Breaking",
  pinned: "Pinned",
};

function show(value: Fields[keyof Fields]): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.join(", ");
  return value === "" ? "(empty)" : value;
}

/**
 * Edits an item as an update or a correction (which needs a public note). When someone else
 * changed the item first, it shows their version beside the operator's changes and lets the
 * operator apply their changes on top: nothing either of them wrote is lost.
 */
export function EditDialog({ item, onClose }: { item: Item; onClose: () => void }) {
  const [base] = useState(() => fieldsOf(item));
  const [version, setVersion] = useState(item.version);
  const [draft, setDraft] = useState<Fields>(() => fieldsOf(item));
  const [kind, setKind] = useState<"update" | "correction">("update");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Item | null>(null);
  const [busy, setBusy] = useState(false);

  // Someone else's version just arrived: take the operator there, and a screen reader with them.
  const conflictHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (conflict !== null) conflictHeading.current?.focus();
  }, [conflict]);

  useEffect(() => {
    sendEditing(item.id);
    return () => sendEditing(null);
  }, [item.id]);

  const changes = changesOf(base, draft);
  const update = (change: Partial<Fields>) => setDraft((current) => ({ ...current, ...change }));

  const save = async (onVersion: number) => {
    if (kind === "correction" && note.trim() === "") {
      setErrors({ correction: "A correction needs a note; readers will see it." });
      return;
    }
    if (Object.keys(changes).length === 0 && kind === "update") {
      setProblem("Nothing has changed yet.");
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await operatorCall("PATCH", `/api/items/${item.id}`, itemSchema, {
        version: onVersion,
        ...changes,
        ...(kind === "correction" ? { correction: note } : {}),
      });
      onClose();
    } catch (caught) {
      setBusy(false);
      if (caught instanceof ApiError && caught.code === "version_conflict" && caught.current !== undefined) {
        setConflict(caught.current);
        setVersion(caught.current.version);
      } else if (caught instanceof ApiError) {
        setErrors(caught.fields);
        setProblem(caught.message);
      } else {
        setProblem("The server could not be reached. Your changes are still here; try again.");
      }
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(version);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (isSubmitShortcut(event)) {
      event.preventDefault();
      void save(version);
    }
  };

  return (
    <Dialog title="Edit item" onClose={onClose}>
      {conflict !== null && (
        <section aria-labelledby="conflict-heading" className="conflict">
          <h3 id="conflict-heading" tabIndex={-1} ref={conflictHeading}>
            {conflict.author} changed this item while you were editing
          </h3>
          <div className="conflict-columns">
            <div>
              <h4>Their version (now version {conflict.version})</h4>
              <dl>
                {KEYS.map((key) => (
                  <div key={key}>
                    <dt>{LABELS[key]}</dt>
                    <dd>{show(fieldsOf(conflict)[key])}</dd>
                  </div>
                ))}
              </dl>
            </div>
            <div>
              <h4>Your changes</h4>
              <dl>
                {Object.keys(changes).length === 0 && <dd>None besides the correction note.</dd>}
                {KEYS.filter((key) => key in changes).map((key) => (
                  <div key={key}>
                    <dt>{LABELS[key]}</dt>
                    <dd>{show(draft[key])}</dd>
                  </div>
                ))}
              </dl>
            </div>
          </div>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void save(conflict.version)}
            >
              Apply my changes on top
            </button>
            <button type="button" onClick={onClose}>
              Discard my changes
            </button>
          </div>
        </section>
      )}
      <form onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate>
        <ItemFields idPrefix="edit" values={draft} onChange={update} errors={errors} />
        <fieldset className="field">
          <legend>Kind of change</legend>
          <label className="check">
            <input type="radio" name="kind" checked={kind === "update"} onChange={() => setKind("update")} />
            Update
          </label>
          <label className="check">
            <input
              type="radio"
              name="kind"
              checked={kind === "correction"}
              onChange={() => setKind("correction")}
            />
            Correction (readers see the note)
          </label>
        </fieldset>
        {kind === "correction" && (
          <Field id="edit-correction" label="Correction note" error={fieldError(errors, "correction")}>
            {(describedBy, invalid) => (
              <textarea
                id="edit-correction"
                rows={2}
                value={note}
                onChange={(event) => setNote(event.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid}
              />
            )}
          </Field>
        )}
        {problem !== null && (
          <p role="alert" className="field-error">
            {problem}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || conflict !== null}>
            Save
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
