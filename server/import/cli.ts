/**
 * `npm run import -- FILE --topic SLUG [--topic SLUG …]`: imports a plain-text file in the seed's
 * format into a running livedesk through `POST /api/import`, like every other newsroom tool. The
 * server is `LIVEDESK_URL` (default http://localhost:3000), the credentials an editor's or
 * admin's API token in `LIVEDESK_TOKEN`. `-` as FILE reads standard input.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { importResultSchema } from "../../shared/import";
import { apiErrorSchema } from "../../shared/requests";

const USAGE = "usage: npm run import -- FILE --topic SLUG [--topic SLUG …]  (LIVEDESK_TOKEN, LIVEDESK_URL)";

/** What the command was asked for, or what is wrong with how it was asked. */
class UsageError extends Error {}

const environmentSchema = z.object({
  LIVEDESK_TOKEN: z
    .string({ error: "LIVEDESK_TOKEN is not set: give it an editor's or admin's API token" })
    .min(1, {
      error: "LIVEDESK_TOKEN is empty: give it an editor's or admin's API token",
    }),
  LIVEDESK_URL: z
    .url({ protocol: /^https?$/, error: "LIVEDESK_URL must be the server's http or https address" })
    .default("http://localhost:3000"),
});

function commandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { topic: { type: "string", multiple: true } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function readCommand(argv: string[], env: NodeJS.ProcessEnv) {
  const parsed = commandLine(argv);
  const [file, ...others] = parsed.positionals;
  if (file === undefined) throw new UsageError("name the file to import");
  if (others.length > 0) throw new UsageError(`one file at a time, not also ${others.join(", ")}`);
  const topics = parsed.values.topic ?? [];
  if (topics.length === 0) throw new UsageError("name at least one topic with --topic SLUG");
  const environment = environmentSchema.safeParse(env);
  if (!environment.success) {
    throw new UsageError(environment.error.issues.map((issue) => issue.message).join("; "));
  }
  return { file, topics, token: environment.data.LIVEDESK_TOKEN, url: environment.data.LIVEDESK_URL };
}

/** The file as text: UTF-8 only, so a file in another encoding is refused rather than garbled. */
function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file === "-" ? 0 : file);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file} is not UTF-8 text`);
  }
}

async function run(): Promise<void> {
  const { file, topics, token, url } = readCommand(process.argv.slice(2), process.env);
  const text = readText(file);
  const endpoint = new URL("/api/import", url);
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ text, topics }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new Error(`cannot reach livedesk at ${endpoint.origin}: ${reason}`);
  }
  const body: unknown = await response.json().catch(() => null);
  const result = importResultSchema.safeParse(body);
  if (response.ok && result.success) {
    const { created, skipped } = result.data;
    process.stdout.write(`Imported ${file}: ${created} created, ${skipped} already there.\n`);
    return;
  }
  const refusal = apiErrorSchema.safeParse(body);
  if (!refusal.success) throw new Error(`livedesk answered ${response.status} without saying why`);
  const { message, fields } = refusal.data.error;
  const details = Object.entries(fields ?? {}).map(([field, problem]) => `\n  ${field}: ${problem}`);
  throw new Error(`livedesk refused the import (${response.status}): ${message}${details.join("")}`);
}

run().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Import failed: ${message}\n`);
  if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
