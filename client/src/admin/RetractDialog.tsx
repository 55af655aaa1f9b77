import { type FormEvent, useState } from "react";
import { type Item, itemSchema } from "../../../shared/item";
import { retractItemSchema } from "../../../shared/requests";
import { adviceBySchema, adviceFromServer, RETRACT_WORDS } from "./advice";
import { ApiError, useOperatorCall } from "./api";
import { Dialog } from "./Dialog";
import { useDiscardQuestion } from "./DiscardQuestion";
import { Field, fieldError } from "./fields";
import { useFieldErrors } from "./useFieldErrors";

/**
 * Retracting asks for the public reason and a confirmation, in one step. A reason the server
 * would refuse is said in plain words beside the field, which takes focus; closing with a reason
 * written asks first, as the editor does.
 */
export function RetractDialog({ item, onClose }: { item: Item; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const [withdrawHeadline, setWithdrawHeadline] = useState(false);
  const { errors, formRef, refuse, touch } = useFieldErrors();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const operatorCall = useOperatorCall();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const body = { reason, ...(withdrawHeadline ? { withdrawHeadline: true } : {}) };
    const advice = adviceBySchema(retractItemSchema, body, RETRACT_WORDS);
    if (Object.keys(advice).length > 0) {
      setProblem(null);
      refuse(advice);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await operatorCall("POST", `/api/items/${item.id}/retract`, itemSchema, body);
      onClose();
    } catch (caught) {
      const advice = caught instanceof ApiError ? adviceFromServer(caught.fields, RETRACT_WORDS) : {};
      if (Object.keys(advice).length > 0) refuse(advice);
      else if (caught instanceof ApiError) setProblem(caught.message);
      else {
        setProblem("The server could not be reached; try again.");
      }
      setBusy(false);
    }
  };

  const { requestClose, question } = useDiscardQuestion(
    reason.trim() !== "",
    onClose,
    "The reason you wrote will be lost; the item stays as it is.",
  );

  return (
    <Dialog title={`Retract “${item.headline}”?`} onClose={requestClose}>
      <form ref={formRef} onSubmit={submit} noValidate>
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
              onChange={(event) => {
                setReason(event.target.value);
                touch("reason");
              }}
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
          <button type="submit" className="danger" aria-disabled={busy}>
            Retract
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
