import { authorName, type Principal } from "../auth/auth";
import type { Storage } from "../storage/storage";

/** Writes one line of the audit log for a change made by `principal`. */
export function audit(
  storage: Storage,
  principal: Principal,
  action: string,
  target: string,
  detail = "",
): Promise<void> {
  return storage.appendAudit({
    at: new Date().toISOString(),
    actor: authorName(principal),
    action,
    target,
    detail,
  });
}
