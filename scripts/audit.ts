/**
 * `npm run audit`: fails when a production dependency has a high or critical advisory, listing
 * them. Where the npm advisory service cannot be reached (an offline mirror answers 405, say), it
 * says so and that nothing was checked; with LIVEDESK_AUDIT_REQUIRED=1 that is a failure too.
 */
import { spawnSync } from "node:child_process";
import { z } from "zod";

const report = z.object({
  vulnerabilities: z.record(
    z.string(),
    z.object({ severity: z.string(), via: z.array(z.unknown()), fixAvailable: z.unknown() }),
  ),
});
const failure = z.object({ message: z.string() });

const run = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8" });
let answer: unknown;
try {
  answer = JSON.parse(run.stdout);
} catch {
  answer = { message: run.stderr.trim() || "npm audit printed no JSON" };
}

const parsed = report.safeParse(answer);
if (parsed.success) {
  const serious = Object.entries(parsed.data.vulnerabilities).filter(([, v]) =>
    ["high", "critical"].includes(v.severity),
  );
  for (const [name, v] of serious) process.stdout.write(`${v.severity}: ${name}\n`);
  process.stdout.write(
    serious.length === 0
      ? "npm audit: no high or critical advisory in production dependencies\n"
      : `npm audit: ${serious.length} production dependencies with high or critical advisories\n`,
  );
  process.exit(serious.length === 0 ? 0 : 1);
}

const reason = failure.safeParse(answer).data?.message ?? "unknown answer";
process.stdout.write(`npm audit could not reach the advisory service (${reason}): NOT checked\n`);
process.exit(process.env.LIVEDESK_AUDIT_REQUIRED === "1" ? 1 : 0);
