import { lazy, Suspense, useState } from "react";

// The dialog and its browser calls load on the first click: the reader's first paint carries none of it.
const AlertsDialog = lazy(() => import("./AlertsDialog"));

/** The dashboard's "Get alerts" button, opening the dialog where a reader subscribes to push alerts. */
export function GetAlerts() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Get alerts
      </button>
      {open && (
        <Suspense fallback={null}>
          <AlertsDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
