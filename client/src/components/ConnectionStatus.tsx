import { useStore } from "../store";
import type { ConnectionState } from "../store/connection";

const LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/**
 * Live / reconnecting / offline, and when the last update came. The time is shown to the minute,
 * so the status region is read out at most once a minute and not on every item.
 */
export function ConnectionStatus() {
  const connection = useStore((state) => state.connection);
  const lastUpdateAt = useStore((state) => state.lastUpdateAt);
  const viewers = useStore((state) => state.viewers);
  return (
    <div className="connection">
      <p role="status" className={`status status-${connection}`}>
        <span className="status-dot" aria-hidden="true" />
        {LABELS[connection]}
        {lastUpdateAt !== null && <> · last update {time.format(lastUpdateAt)}</>}
      </p>
      {viewers !== null && (
        <p className="viewers">
          {viewers} {viewers === 1 ? "reader" : "readers"}
        </p>
      )}
    </div>
  );
}
