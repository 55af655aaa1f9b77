import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/**
 * A process set up as `server/main.ts` sets it up, in which a promise fails with nothing to handle
 * it; a second later it reports whether it is still there and what `/metrics` counts.
 */
const SCRIPT = `
import { pino } from "pino";
import { Metrics } from "./server/metrics.ts";
import { surviveUnhandledRejections } from "./server/unhandled-rejections.ts";
const metrics = new Metrics(() => 0);
surviveUnhandledRejections(pino(), metrics);
Promise.reject(new Error("a fire-and-forget command failed"));
setTimeout(async () => {
  process.stdout.write("still serving\\n");
  process.stdout.write(await metrics.registry.getSingleMetricAsString("livedesk_unhandled_rejections_total"));
}, 1000);
`;

describe("a promise that fails with nothing to handle it", () => {
  it("is logged and counted in /metrics, and the process serves on", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", SCRIPT],
      { cwd: ROOT, timeout: 20_000 },
    );
    expect(stdout).toContain("a promise failed and nothing handled it; serving on");
    expect(stdout).toContain("a fire-and-forget command failed");
    expect(stdout).toContain("still serving");
    expect(stdout).toMatch(/^livedesk_unhandled_rejections_total 1$/m);
  }, 30_000);
});
