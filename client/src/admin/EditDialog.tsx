import { type FormEvent, type KeyboardEvent, useEffect, useState } from "react";
import { type Item, itemSchema } from "../../../shared/item";
import { sendEditing } from "../socket";
import { adviceFor, adviceFromServer } from "./advice";
import { ApiError, useOperatorCall } from "./api";
import { type Choices, ConflictPanel, changesOf, type Fields, fieldsOf, mergeOnTop } from "./Conflict";
import { Dialog } from "./Dialog";
import { useDiscardQuestion } from "./DiscardQuestion";
import { Field, fieldError, isSubmitShortcut } from "./fields";
import { uploadAdvice, usePictureUpload } from "./ImageField";
import { apiFieldsOf, ItemFields } from "./ItemFields";
import { useFieldErrors } from "./useFieldErrors";

/**
 * Edits an item as an update or a correction (which needs a public note). When someone else
 * changed the item first, it shows their version beside the operator's changes, marks the fields
 * both changed and lets the operator choose per field before applying the rest on top: nothing
 * either of them wrote is lost unseen. Closing with unsaved changes asks first.
 */
export function EditDialog({ item, onClose }: { item: Item; onClose: () => void }) {
  const [base, setBase] = useState(() => fieldsOf(item));
  const [version, setVersion] = useState(item.version);
  const [draft, setDraft] = useState<Fields>(() => fieldsOf(item));
  const [kind, setKind] = useState<"update" | "correction">("update");
  const [note, setNote] = useState("");
  const { errors, formRef, refuse: refuseFields, touch } = useFieldErrors();
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Item | null>(null);
  const [choices, setChoices] = useState<Choices>({});
  const [busy, setBusy] = useState(false);
  const operatorCall = useOperatorCall();
  useEffect(() => {
    sendEditing(item.id);
    return () => sendEditing(null);
  }, [item.id]);

  const picture = usePictureUpload((image) => update({ image }));
  const changes = changesOf(base, draft);
  const unsaved = Object.keys(changes).length > 0 || note.trim() !== "";
  /** A field the operator touches again loses its error until the next save checks it. */
  const update = (change: Partial<Fields>) => {
    setDraft((current) => ({ ...current, ...change }));
    touch(...Object.keys(change));
  };

  /** Escape, Cancel: close at once when nothing would be lost, else ask. */
  const { requestClose, question } = useDiscardQuestion(
    unsaved,
    onClose,
    "What you changed in this item has not been saved and will be lost.",
  );

  const refuse = (advice: Record<string, string>) => {
    refuseFields(advice);
    setProblem(null);
  };

  const save = async (onVersion: number, from: Fields, to: Fields) => {
    if (busy) return;
    const advice = { ...adviceFor(to), ...uploadAdvice(picture) };
    if (kind === "correction" && note.trim() === "") {
      advice.correction = "A correction needs a note: say what was wrong; readers will see it.";
    }
    if (Object.keys(advice).length > 0) {
      refuse(advice);
      return;
    }
    const fieldChanges = changesOf(from, to);
    if (Object.keys(fieldChanges).length === 0 && kind === "update") {
      setProblem("Nothing has changed yet.");
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await operatorCall("PATCH", `/api/items/${item.id}`, itemSchema, {
        version: onVersion,
        ...apiFieldsOf(fieldChanges),
        ...(kind === "correction" ? { correction: note } : {}),
      });
      onClose();
    } catch (caught) {
      setBusy(false);
      if (caught instanceof ApiError && caught.code === "version_conflict" && caught.current !== undefined) {
        setConflict(caught.current);
        setChoices({});
      } else if (caught instanceof ApiError) {
        const advice = adviceFromServer(caught.fields);
        if (Object.keys(advice).length > 0) refuse(advice);
        else setProblem(caught.message);
      } else {
        setProblem("The server could not be reached. Your changes are still here; try again.");
      }
    }
  };

  /** The conflict's "apply my changes on top": their version, plus mine where they did not clash or I chose mine. */
  const applyOnTop = (current: Item) => {
    const theirs = fieldsOf(current);
    const merged = mergeOnTop(base, draft, theirs, choices);
    if (Object.keys(changesOf(theirs, merged)).length === 0 && kind === "update") {
      // Everything the operator wanted is there already: they took theirs in every clash.
      onClose();
      return;
    }
    setBase(theirs);
    setDraft(merged);
    setVersion(current.version);
    setConflict(null);
    void save(current.version, theirs, merged);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(version, base, draft);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (isSubmitShortcut(event)) {
      event.preventDefault();
      void save(version, base, draft);
    }
  };

  return (
    <Dialog title="Edit item" onClose={requestClose}>
      {conflict !== null && (
        <ConflictPanel
          base={base}
          draft={draft}
          current={conflict}
          choices={choices}
          onChoose={(choice) => setChoices((current) => ({ ...current, ...choice }))}
          busy={busy}
          onApply={() => applyOnTop(conflict)}
          onDiscard={onClose}
        />
      )}
      <form
        ref={formRef}
        onSubmit={onSubmit}
        onKeyDown={onKeyDown}
        onPaste={picture.onPaste}
        onDragOver={picture.onDragOver}
        onDragLeave={picture.onDragLeave}
        onDrop={picture.onDrop}
        noValidate
      >
        <ItemFields idPrefix="edit" values={draft} onChange={update} errors={errors} picture={picture} />
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
                dir="auto"
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
          <button type="submit" className="primary" aria-disabled={busy} disabled={conflict !== null}>
            Save
          </button>
          <button type="button" onClick={requestClose}>
            Cancel
          </button>
        </div>
      </form>
      {question}
    </Dialog>
  );
}
