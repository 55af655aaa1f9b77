import { z } from "zod";
import {
  type Change,
  type ChangeFingerprint,
  changeFingerprintSchema,
  changeSchema,
  itemSchema,
} from "./item";
import { PROTOCOL_VERSION } from "./limits";

/**
 * `timeline:sync` request. `since` is the last seq the client has applied; without it (or when
 * it is not a usable number) the server answers with a reset. `epoch` is the epoch of the answer
 * that seq came from: when it is not the server's (the database was replaced), the seq means
 * nothing here and the server answers with a reset too. `sinceChange` is the fingerprint of the
 * change the client applied at `since`: when the server's change at that seq is another one (the
 * database was restored from a backup and gave the seq out again), a reset as well. Without
 * `epoch` and `sinceChange` (v1 clients) `since` is taken as it is.
 */
export const syncRequestSchema = z
  .object({
    since: z.unknown().optional(),
    epoch: z.unknown().optional(),
    sinceChange: z.unknown().optional(),
  })
  .loose();
export type SyncRequest = { since?: number; epoch?: string; sinceChange?: ChangeFingerprint };

/**
 * The timeline's epoch, in every sync answer: an id fixed when the server's storage was created.
 * Seqs are comparable only within one epoch.
 */
export const epochSchema = z.string().min(1).max(100);

/** Answer to a sync: the changes after `since`, in seq order. */
export const syncChangesSchema = z.object({
  seq: z.number(),
  epoch: epochSchema,
  changes: z.array(changeSchema),
});
/**
 * Answer to a sync when the client's `since` is absent, too old, ahead, from another epoch or names
 * another change than the server's at that seq: the latest window of items, newest first.
 * `lastChange` is the fingerprint of the change at `seq` (absent at seq 0), for the client's next
 * sync: the window need not hold the item that change wrote.
 */
export const syncResetSchema = z.object({
  seq: z.number(),
  epoch: epochSchema,
  reset: z.literal(true),
  items: z.array(itemSchema),
  lastChange: z.optional(changeFingerprintSchema),
});
export const socketErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const syncAckSchema = z.union([syncChangesSchema, syncResetSchema, socketErrorSchema]);
export type SyncChanges = z.infer<typeof syncChangesSchema>;
export type SyncReset = z.infer<typeof syncResetSchema>;
export type SocketError = z.infer<typeof socketErrorSchema>;
export type SyncAck = z.infer<typeof syncAckSchema>;

/**
 * What a client may say in the handshake (`auth`). `surface: "panel"` marks an operator panel's
 * tab, which is not counted among readers; without it a socket is a reader's (v1 clients).
 * `protocol` is the version of this protocol the client speaks (docs/protocol.md); without it, 1.
 */
export const handshakeAuthSchema = z.object({ surface: z.enum(["reader", "panel"]).optional() }).loose();
export type Surface = "reader" | "panel";
export type ProtocolVersion = 1 | 2;
/** Read apart from `surface`: a surface the server cannot read does not cost a client its protocol. */
const askedProtocolSchema = z.object({ protocol: z.unknown() }).loose();

/**
 * The version a socket is served in, from its handshake. A whole number of 2 or more gets 2, the
 * newest this server speaks (a newer client talks down to it); anything else, or nothing, gets 1,
 * so a handshake can never make the server fail.
 */
export function protocolOf(auth: unknown): ProtocolVersion {
  const parsed = askedProtocolSchema.safeParse(auth);
  const asked = parsed.success ? parsed.data.protocol : undefined;
  return typeof asked === "number" && Number.isInteger(asked) && asked >= PROTOCOL_VERSION ? 2 : 1;
}

export const presenceSchema = z.object({ viewers: z.number().int().nonnegative() });
export type Presence = z.infer<typeof presenceSchema>;

/** Operators in the panel and the item each is editing (null when none). */
export const panelPresenceSchema = z.object({
  operators: z.array(z.object({ username: z.string(), editing: z.string().nullable() })),
});
export type PanelPresence = z.infer<typeof panelPresenceSchema>;

/** Sent by an operator's panel when they open or close an item's editor. */
export const panelEditingSchema = z.object({ itemId: z.string().max(100).nullable() });
export type PanelEditing = z.infer<typeof panelEditingSchema>;

/**
 * `timeline:changes` (protocol 2): the changes one commit batch released, in seq order, at least
 * one and at most CHANGES_PER_EVENT_MAX.
 */
export const changesEventSchema = z.array(changeSchema).min(1);

/** Events the server emits. */
export interface ServerToClientEvents {
  /** Protocol 1: one event per change. */
  "timeline:change": (change: Change) => void;
  /** Protocol 2: one event per commit batch. */
  "timeline:changes": (changes: Change[]) => void;
  presence: (presence: Presence) => void;
  /** Only to sockets of logged-in operators. */
  "panel:presence": (presence: PanelPresence) => void;
  /** Only to sockets of logged-in operators: wire entries arrived in (or left) Incoming; read it again. */
  "incoming:changed": () => void;
}

/** Events a client emits. */
export interface ClientToServerEvents {
  "timeline:sync": (request: SyncRequest, ack: (answer: SyncAck) => void) => void;
  /** Only from sockets of logged-in operators; ignored from others. */
  "panel:editing": (editing: PanelEditing) => void;
}
