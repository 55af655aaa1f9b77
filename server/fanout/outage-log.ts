import type { Logger } from "pino";

/**
 * Logs a run of failures of one dependency twice, however long it lasts: when it starts and when
 * it ends. A Redis that is down for an hour must not write a line a second for an hour.
 */
export class OutageLog {
  private failures = 0;

  constructor(
    private readonly logger: Logger,
    private readonly messages: { failing: string; recovered: string },
    private readonly context: Record<string, unknown> = {},
  ) {}

  failed(error: unknown, detail: Record<string, unknown> = {}): void {
    if (this.failures === 0)
      this.logger.warn({ ...this.context, ...detail, err: error }, this.messages.failing);
    this.failures += 1;
  }

  recovered(): void {
    if (this.failures === 0) return;
    this.logger.info({ ...this.context, failures: this.failures }, this.messages.recovered);
    this.failures = 0;
  }
}
