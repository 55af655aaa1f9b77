import { z } from "zod";
import type { AuditAction } from "../../shared/requests";
import { authorName, type Principal } from "../auth/auth";
import type { AuditPosition, AuditStore } from "../storage/audit-store";

/**
 * Writes one line of the audit log for a change made by `principal`, on its own: for a feature
 * whose change is not one of `Admin`'s (those write their line in the change's transaction).
 */
export function audit(
  storage: Pick<AuditStore, "appendAudit">,
  principal: Principal,
  action: Exclude<AuditAction, `item.${string}`>,
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

const positionSchema = z.tuple([z.string().min(1), z.union([z.literal(0), z.literal(1)]), z.number().int()]);

/** The `nextCursor` of an audit page: the position of its last line. Opaque to clients. */
export function encodeAuditCursor(position: AuditPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.origin, position.ord])).toString("base64url");
}

/** Null when the cursor was not made by `encodeAuditCursor`. */
export function decodeAuditCursor(cursor: string): AuditPosition | null {
  try {
    const parsed = positionSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? { at: parsed.data[0], origin: parsed.data[1], ord: parsed.data[2] } : null;
  } catch {
    return null;
  }
}
