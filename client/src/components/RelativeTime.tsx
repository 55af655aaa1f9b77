import { useSyncExternalStore } from "react";

// One shared clock for every relative time on the page, ticking each 30 seconds.
let now = Date.now();
const listeners = new Set<() => void>();
setInterval(() => {
  now = Date.now();
  for (const listener of listeners) listener();
}, 30_000);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "short" });
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatRelative(iso: string, at: number): string {
  const seconds = Math.round((Date.parse(iso) - at) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86400), "day");
}

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayAndClock = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

/** "15:12" on the day of `now`, "25 Nov, 15:12" on another day: in the reader's own time zone. */
export function formatClock(iso: string, now: number): string {
  const at = new Date(iso);
  return at.toDateString() === new Date(now).toDateString() ? clock.format(at) : dayAndClock.format(at);
}

export function formatExact(iso: string): string {
  return exact.format(new Date(iso));
}

/** "5 min. ago · 25 Nov 2026, 12:04": the relative time and the exact one, in a `<time>`. */
export function RelativeTime({ iso }: { iso: string }) {
  const at = useNow();
  return (
    <time dateTime={iso}>
      {formatRelative(iso, at)} · {formatExact(iso)}
    </time>
  );
}
