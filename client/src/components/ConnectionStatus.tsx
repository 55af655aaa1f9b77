import { useRef } from "react";
import { useStore } from "../store";
import type { ConnectionState } from "../store/connection";
import { RetryNow } from "./RetryNow";

const LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "You are offline",
};

const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/**
 * Live / reconnecting / offline, and when the last update came, in a small bar that stays at the
 * bottom of the screen however far the reader scrolls: a reader deep in the feed must see that the
 * news has stopped coming. The time is shown to the minute, so the status region is read out at
 * most once a minute and not on every item.
 */
export function ConnectionStatus() {
  const connection = useStore((state) => state.connection);
  const lastUpdateAt = useStore((state) => state.lastUpdateAt);
  const viewers = useStore((state) => state.viewers);
  const cut = connection === "reconnecting" || connection === "offline";
  const statusRef = useRef<HTMLParagraphElement>(null);
  return (
    <section className="connection" aria-label="Connection">
      <p role="status" className={`status status-${connection}`} ref={statusRef} tabIndex={-1}>
        <span className="status-dot" aria-hidden="true" />
        {LABELS[connection]}
        {lastUpdateAt !== null && <> · last update {time.format(lastUpdateAt)}</>}
        {/* Opened without a network: what is on screen is the window this device kept. */}
        {lastUpdateAt === null && connection === "offline" && <> · showing the news kept on this device</>}
      </p>
      <RetryNow cut={cut} statusRef={statusRef} />
      {viewers !== null && (
        <p className="viewers">
          {viewers} {viewers === 1 ? "reader" : "readers"}
        </p>
      )}
    </section>
  );
}
