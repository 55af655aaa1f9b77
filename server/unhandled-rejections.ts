import type { Logger } from "pino";
import type { Metrics } from "./metrics";

/**
 * A promise that fails with nothing to handle it is logged and counted (`/metrics`
 * `livedesk_unhandled_rejections_total`), and the node serves on, rather than Node's default of
 * ending the process.
 *
 * Why: such a rejection comes from a call whose caller already moved on (a library's
 * fire-and-forget command, such as the Socket.IO Redis adapter's publishes), so no operation was
 * left half done in memory; everything that matters is in storage, and the sequencer reads back
 * whatever a node missed. Ending the process would turn one lost message into every reader of the
 * node reconnecting at once and every request in flight failing. A synchronous exception that
 * nothing catches is another matter and still ends the process (Node's default): it may have
 * stopped in the middle of changing state.
 */
export function surviveUnhandledRejections(logger: Logger, metrics: Metrics): void {
  process.on("unhandledRejection", (reason: unknown) => {
    metrics.unhandledRejections.inc();
    logger.error({ err: reason }, "a promise failed and nothing handled it; serving on");
  });
}
