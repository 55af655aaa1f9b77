import type { Fanout } from "../fanout/fanout";
import { asStorageError } from "../storage/errors";
import type { Storage } from "../storage/storage";

/**
 * Every check of `/readyz` ends within this, answered or not, so the answer comes within a second.
 * Half of it: a node answering a burst of failed publishes while PostgreSQL hangs runs its timers
 * a few hundred ms late, and with 750 ms the answer came after more than a second
 * (tests/faults/postgres-cluster.test.ts, 8 s hangs).
 */
export const READY_CHECK_MS = 500;
/** How often the broadcast check looks whether this node has caught up with storage. */
const CATCH_UP_POLL_MS = 20;

export type CheckStatus = "ok" | "slow" | "down" | "full" | "lagging" | "unknown";

export interface Check {
  status: CheckStatus;
  /** How long the check took, in milliseconds. */
  ms: number;
  message?: string;
}

export interface BroadcastCheck extends Check {
  /** The last seq this node released to its readers, and the storage's latest (when it answered). */
  seq: number;
  storageSeq?: number;
}

export interface Readiness {
  ready: boolean;
  body: {
    status: "ready" | "unavailable";
    error?: { code: string; message: string };
    checks: { storage: Check; fanout: Check; broadcast: BroadcastCheck };
  };
}

type Outcome<T> = { kind: "done"; value: T } | { kind: "failed"; error: unknown } | { kind: "slow" };

function within<T>(promise: Promise<T>, ms: number): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: "slow" }), Math.max(0, ms));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ kind: "done", value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ kind: "failed", error });
      },
    );
  });
}

/**
 * One call in flight at a time: while a dependency hangs, checks that follow wait on the call
 * already made instead of piling a new one onto it every time `/readyz` is asked.
 */
function singleFlight<T>(call: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending !== undefined) return pending;
    const started = call();
    pending = started;
    const clear = () => {
      if (pending === started) pending = undefined;
    };
    started.then(clear, clear);
    return started;
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What `/readyz` checks, each with its own deadline and all at once: the storage answers (and has
 * room to write), the fan-out answers, and this node has broadcast what the storage holds (a
 * node whose readers are behind the timeline must not take more of them).
 */
export function readinessChecks(deps: {
  storage: Pick<Storage, "ping" | "latestSeq">;
  fanout: Pick<Fanout, "ping">;
  /** The last seq this node released to its readers. */
  broadcastSeq: () => number;
  deadlineMs?: number;
}): () => Promise<Readiness> {
  const deadlineMs = deps.deadlineMs ?? READY_CHECK_MS;
  const pingStorage = singleFlight(() => deps.storage.ping());
  const pingFanout = singleFlight(() => deps.fanout.ping());
  const latestSeq = singleFlight(() => deps.storage.latestSeq());

  const storageCheck = async (started: number): Promise<Check> => {
    const outcome = await within(pingStorage(), deadlineMs);
    const ms = Date.now() - started;
    if (outcome.kind === "done") return { status: "ok", ms };
    if (outcome.kind === "slow") return { status: "slow", ms, message: `no answer within ${deadlineMs} ms` };
    const failure = asStorageError(outcome.error);
    return { status: failure?.kind === "full" ? "full" : "down", ms, message: message(outcome.error) };
  };

  const fanoutCheck = async (started: number): Promise<Check> => {
    const outcome = await within(pingFanout(), deadlineMs);
    const ms = Date.now() - started;
    if (outcome.kind === "done") return { status: "ok", ms };
    if (outcome.kind === "slow") return { status: "slow", ms, message: `no answer within ${deadlineMs} ms` };
    return { status: "down", ms, message: message(outcome.error) };
  };

  const broadcastCheck = async (started: number): Promise<BroadcastCheck> => {
    const outcome = await within(latestSeq(), deadlineMs);
    if (outcome.kind !== "done") {
      return {
        status: "unknown",
        ms: Date.now() - started,
        seq: deps.broadcastSeq(),
        message: "the storage's latest seq could not be read",
      };
    }
    const storageSeq = outcome.value;
    // A change committed a moment ago may still be on its way through the fan-out: it gets until
    // the deadline to arrive before the node counts as lagging.
    while (deps.broadcastSeq() < storageSeq && Date.now() - started < deadlineMs) {
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
    }
    const seq = deps.broadcastSeq();
    const ms = Date.now() - started;
    return seq >= storageSeq
      ? { status: "ok", ms, seq, storageSeq }
      : {
          status: "lagging",
          ms,
          seq,
          storageSeq,
          message: `readers here are at seq ${seq}, the storage at ${storageSeq}`,
        };
  };

  return async () => {
    const started = Date.now();
    const [storage, fanout, broadcast] = await Promise.all([
      storageCheck(started),
      fanoutCheck(started),
      broadcastCheck(started),
    ]);
    const checks = { storage, fanout, broadcast };
    const error =
      storage.status === "full"
        ? { code: "storage_full", message: `The storage's disk is full: ${storage.message ?? ""}` }
        : storage.status !== "ok"
          ? {
              code: "storage_unavailable",
              message: `The storage is ${storage.status}: ${storage.message ?? ""}`,
            }
          : fanout.status !== "ok"
            ? {
                code: "fanout_unavailable",
                message: `The fan-out is ${fanout.status}: ${fanout.message ?? ""}`,
              }
            : broadcast.status === "lagging"
              ? {
                  code: "broadcast_lagging",
                  message: `The broadcast lags the storage: ${broadcast.message ?? ""}`,
                }
              : undefined;
    return error === undefined
      ? { ready: true, body: { status: "ready", checks } }
      : { ready: false, body: { status: "unavailable", error, checks } };
  };
}
