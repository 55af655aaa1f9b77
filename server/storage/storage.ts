import type { AccountStore } from "./account-store";
import type { AdminStore, AuditStore } from "./audit-store";
import type { TimelineStore, TopicStore } from "./timeline-store";

// Each part of the storage is declared in its own file, sized to the code that uses it; what
// callers import from here is re-exported.
export type * from "./account-store";
export type * from "./audit-store";
export type * from "./timeline-store";
export { LASTING_KEYS_PRINCIPAL } from "./timeline-store";

/** Whether the storage answers, and closing it. */
export interface StorageLifecycle {
  /** Throws when the storage does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Everything livedesk keeps, as one backend (SQLite or PostgreSQL) implements it. Every
 * implementation passes tests/storage/contract.ts. Code that uses the storage takes the part it
 * needs (`TimelineStore`, `AccountStore`, …), not this whole.
 */
export interface Storage
  extends TimelineStore,
    TopicStore,
    AccountStore,
    AuditStore,
    AdminStore,
    StorageLifecycle {}
