import { type ReactNode, useEffect, useId, useRef } from "react";

/**
 * A modal `<dialog>`: focus moves into it and stays there, Escape closes it, and focus returns to
 * where it was when it closes. An `alert` dialog asks a question that interrupts (role
 * alertdialog) and is described by its `description`. Dialogs may open on top of one another.
 */
export function Dialog({
  title,
  onClose,
  alert = false,
  description,
  children,
}: {
  title: string;
  onClose: () => void;
  alert?: boolean;
  description?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  // Set while this component closes its dialog itself, so that only other closings call onClose.
  const leaving = useRef(false);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    leaving.current = false;
    dialog?.showModal();
    return () => {
      leaving.current = true;
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      role={alert ? "alertdialog" : undefined}
      aria-labelledby={`${id}-title`}
      aria-describedby={description === undefined ? undefined : `${id}-description`}
      className="dialog"
      onCancel={(event) => {
        event.preventDefault();
        // A dialog on top of this one answers its own Escape.
        if (event.target === event.currentTarget) onClose();
      }}
      onClose={(event) => {
        // Chromium closes a dialog on a repeated Escape whatever cancel says: open it again and
        // let onClose decide, as for the first Escape (it may ask before anything is lost).
        // (It is open again already when the close was StrictMode's rehearsal of an unmount.)
        const dialog = event.currentTarget;
        if (event.target !== dialog || leaving.current || dialog.open) return;
        dialog.showModal();
        onClose();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {description !== undefined && <p id={`${id}-description`}>{description}</p>}
      {children}
    </dialog>
  );
}
