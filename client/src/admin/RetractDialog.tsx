import { type FormEvent, useState } from "react";
import { type Item, itemSchema } from "../../../shared/item";
import { ApiError, operatorCall } from "./api";
import { Dialog } from "./Dialog";
import { Field, fieldError } from "./fields";

/** Retracting asks for the public reason and a confirmation, in one step. */
export function RetractDialog({ item, onClose }: { item: Item; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === "") {
      setErrors({ reason: "A retraction needs a reason; readers will see it." });
      return;
    }
    setBusy(true);
    try {
      await operatorCall("POST", `/api/items/${item.id}/retract`, itemSchema, { reason });
      onClose();
    } catch (caught) {
      if (caught instanceof ApiError) {
        setErrors(caught.fields);
        setProblem(caught.message);
      } else {
        setProblem("The server could not be reached; try again.");
      }
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Retract “${item.headline}”?`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>The item stays readable at its address as a retraction, with the reason you give here.</p>
        <Field id="retract-reason" label="Reason" error={fieldError(errors, "reason")}>
          {(describedBy, invalid) => (
            <textarea
              id="retract-reason"
              rows={3}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              required
            />
          )}
        </Field>
        {problem !== null && (
          <p role="alert" className="field-error">
            {problem}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="danger" disabled={busy}>
            Retract
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
