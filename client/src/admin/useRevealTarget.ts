import { useEffect } from "react";

/**
 * Once a screen has loaded, brings the element its URL's fragment names into view and focus (a
 * link from the audit log to `/admin/operators#operator-ana`, say): a client-side navigation
 * does not scroll to a fragment by itself, and focus tells a screen reader where it landed.
 */
export function useRevealTarget(loaded: boolean): void {
  useEffect(() => {
    if (!loaded || window.location.hash.length < 2) return;
    const target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target === null) return;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }, [loaded]);
}
