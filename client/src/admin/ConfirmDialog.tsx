import { Dialog } from "./Dialog";

/** A change that needs the admin's yes first: what it does, said in words, and the button that does it. */
export interface Question {
  title: string;
  consequence: string;
  confirm: string;
  /** Whether the change takes something away (access, a token): its button says so. */
  danger: boolean;
}

/** Asks before a change an admin cannot take back quietly, naming what follows from it. */
export function ConfirmDialog({
  question,
  onConfirm,
  onClose,
}: {
  question: Question;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog title={question.title} onClose={onClose}>
      <p>{question.consequence}</p>
      <div className="actions">
        <button type="button" className={question.danger ? "danger" : "primary"} onClick={onConfirm}>
          {question.confirm}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
