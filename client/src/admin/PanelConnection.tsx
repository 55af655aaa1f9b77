import { useRef } from "react";
import { RetryNow } from "../components/RetryNow";
import { useStore } from "../store";
import type { ConnectionState } from "../store/connection";

const SAYS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  live: "Live: the list updates by itself",
  reconnecting: "Connection lost, reconnecting… The list may be out of date.",
  offline: "Offline: the list may be out of date.",
};

/**
 * Whether the panel's list is live. An operator about to edit or pin must know when what they
 * see may be stale, and need not wait out the backoff once they know the server is back ("Retry
 * now"); once back, the list reads again what it shows (see usePanelList).
 */
export function PanelConnection() {
  const connection = useStore((state) => state.connection);
  const statusRef = useRef<HTMLParagraphElement>(null);
  return (
    <div className="panel-connection">
      <p role="status" className={`status status-${connection}`} ref={statusRef} tabIndex={-1}>
        <span className="status-dot" aria-hidden="true" />
        {SAYS[connection]}
      </p>
      <RetryNow cut={connection === "reconnecting" || connection === "offline"} statusRef={statusRef} />
    </div>
  );
}
