import { type FormEvent, useState } from "react";
import { type Item, itemSchema } from "../../../shared/item";
import { ApiError, operatorCall } from "./api";
import { Dialog } from "./Dialog";
import { Field, fieldError } from "./fields";

/** Retracting asks for the public reason and a confirmation, in one step. */
export function RetractDialog({ item, onClose }: { item: Item; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const [withdrawHeadline, setWithdrawHeadline] = useState(false);
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
      await operatorCall("POST", `/api/items/${item.id}/retract`, itemSchema, {
        reason,
        ...(withdrawHeadline ? { withdrawHeadline: true } : {}),
      });
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
        <p>
          Its address then shows readers a retraction notice with the headline, the reason you give here and
          the time; its summary, link and correction are hidden from every reader, earlier versions too.
        </p>
        <Field id="retract-reason" label="Reason" error={fieldError(errors, "reason")}>
          {(describedBy, invalid) => (
            <textarea
              id="retract-reason"
              rows={3}
              dir="auto"
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              required
            />
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={withdrawHeadline}
            onChange={(event) => setWithdrawHeadline(event.target.checked)}
            aria-describedby="retract-withdraw-hint"
          />{" "}
          Withdraw the headline too (legal kill)
        </label>
        <p id="retract-withdraw-hint" className="hint">
          Readers then see only “Withdrawn” and the reason, on every page, feed and answer of the API.
        </p>
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
