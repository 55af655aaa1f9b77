import { type ReactNode, useState } from "react";
import { Dialog } from "./Dialog";

/**
 * Closing a dialog that holds unsaved work (Escape, Cancel) asks first: "Discard your changes?",
 * with "Keep editing" first, so a reflexive Enter loses nothing. `requestClose` closes at once
 * when nothing would be lost; render `question` inside the dialog it guards.
 */
export function useDiscardQuestion(
  unsaved: boolean,
  onClose: () => void,
  whatIsLost: string,
): { requestClose: () => void; question: ReactNode } {
  const [asking, setAsking] = useState(false);
  const requestClose = () => {
    if (unsaved) setAsking(true);
    else onClose();
  };
  const question = asking && (
    <Dialog alert title="Discard your changes?" description={whatIsLost} onClose={() => setAsking(false)}>
      <div className="actions">
        <button type="button" onClick={() => setAsking(false)}>
          Keep editing
        </button>
        <button type="button" className="danger" onClick={onClose}>
          Discard changes
        </button>
      </div>
    </Dialog>
  );
  return { requestClose, question };
}
