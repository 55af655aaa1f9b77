import type { Topic } from "../../shared/item";
import type { AuditAction, Role } from "../../shared/requests";
import type { Operator, StoredToken } from "./account-store";

/** One line of the audit log: who did what to which thing, when. */
export interface AuditEntry {
  at: string;
  actor: string;
  /** `item.created`, `item.updated`, `item.verification`, `item.retracted`, `topic.created`, … */
  action: string;
  target: string;
  detail: string;
}

/**
 * Where a line sits in the audit log, newest first: its time, then whether it came from the audit
 * table (1) or the change log (0), then its id or seq within that source. Unique per line.
 */
export interface AuditPosition {
  at: string;
  origin: 0 | 1;
  ord: number;
}

/** A line of the audit log with its position, so that a page can say where the next one starts. */
export interface AuditRecord extends AuditEntry {
  position: AuditPosition;
}

/** Which lines of the audit log to read: each filter matches exactly (`actor` regardless of case). */
export interface AuditQuery {
  limit: number;
  /** Start after this position (exclusive). */
  after?: AuditPosition | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
}

/** The audit log: lines appended by features that keep their own records, and the whole log read back. */
export interface AuditStore {
  appendAudit(entry: AuditEntry): Promise<void>;
  /**
   * The audit log, newest first: the entries appended here together with every change of the
   * timeline (its author, kind and headline), which the change log already keeps.
   */
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;
}

export interface OperatorChange {
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
}

/** A change whose audit line records `A`: one of the actions the log's filter offers. */
type Audited<A extends AuditAction, Fields> = { action: A } & Fields;

/** An admin's change, keyed by the action its audit line records. */
export type AdminChange =
  | Audited<"topic.created", { topic: Topic }>
  | Audited<"topic.renamed", { slug: string; name: string }>
  | Audited<"operator.created", { operator: Operator }>
  /** `endSessions`: every session of the operator ends with the change (disabled, new password). */
  | Audited<"operator.updated", { operatorId: string; change: OperatorChange; endSessions: boolean }>
  | Audited<"token.created", { token: StoredToken }>
  | Audited<"token.revoked", { tokenId: string }>;

/** The audit line of an admin change; its action is the change's. */
export type AdminAuditLine = Omit<AuditEntry, "action">;

/** Where the `Admin` service writes. */
export interface AdminStore {
  /**
   * Makes the change and writes its audit line in one transaction: both are stored or neither.
   * False, with no line written, when the change does not apply: the slug or username is taken,
   * or there is no such topic, operator or live token.
   */
  applyAdminChange(change: AdminChange, line: AdminAuditLine): Promise<boolean>;
}
