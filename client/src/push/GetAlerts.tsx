import { type ComponentType, useState } from "react";

/** Said when the dialog cannot be loaded or the topics cannot be read because the reader is offline. */
export const OFFLINE_ALERTS = "You are offline. Alerts can be turned on once you are back online.";

type AlertsDialogComponent = ComponentType<{ onClose: () => void }>;

/** The dashboard's "Get alerts" button, opening the dialog where a reader subscribes to push alerts. */
export function GetAlerts() {
  // The dialog and its browser calls load on the first click: the reader's first paint carries none
  // of it. Offline, that load fails when this device never kept the dialog: the reader is told so
  // (a lazy component would take the whole page down with it).
  const [Dialog, setDialog] = useState<AlertsDialogComponent | null>(null);
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const openDialog = () => {
    setProblem(null);
    import("./AlertsDialog").then(
      (module) => {
        setDialog(() => module.default);
        setOpen(true);
      },
      () => setProblem(navigator.onLine ? "Alerts could not be loaded. Try again later." : OFFLINE_ALERTS),
    );
  };
  return (
    <>
      <button type="button" onClick={openDialog}>
        Get alerts
      </button>
      <span role="alert" className="field-error">
        {problem}
      </span>
      {open && Dialog !== null && <Dialog onClose={() => setOpen(false)} />}
    </>
  );
}
