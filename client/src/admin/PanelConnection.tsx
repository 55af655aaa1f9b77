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
 * see may be stale; once back, the list reads again what it shows (see usePanelList).
 */
export function PanelConnection() {
  const connection = useStore((state) => state.connection);
  return (
    <p role="status" className={`panel-connection status status-${connection}`}>
      <span className="status-dot" aria-hidden="true" />
      {SAYS[connection]}
    </p>
  );
}
