import path from "node:path";
import { z } from "zod";
import type { PushConfig } from "./push/push";

const booleanFlag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

/** Splits a list given as `a, b c`; an origin or CSP source never contains a comma or a space. */
function list(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,]+/).filter((entry) => entry !== "");
}

/**
 * One CSP source a site may frame the embeds from: `'self'`, a scheme (`https:`) or a host with an
 * optional scheme, `*.` wildcard, port and path. Anything else (a `;` above all, which would start
 * a directive of its own in the header) is refused at start.
 */
const FRAME_ANCESTOR =
  /^(?:'self'|'none'|[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d{1,5}|\*))?(?:\/[^\s;,'"]*)?)$/i;

/** A VAPID key as web-push makes them: URL-safe base64 of `bytes` bytes. */
function vapidKey(what: string, bytes: number) {
  return z
    .string()
    .optional()
    .refine(
      (v) =>
        v === undefined ||
        v === "" ||
        (/^[A-Za-z0-9_-]+$/.test(v) && Buffer.from(v, "base64url").length === bytes),
      `must be ${what} (${bytes} bytes) in URL-safe base64, as \`npx web-push generate-vapid-keys\` prints`,
    );
}

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z.string().trim().optional(),
  REDIS_URL: z.string().trim().optional(),
  LIVEDESK_ADMIN_PASSWORD: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || v === "" || (v.length >= 10 && v.length <= 256),
      "must be 10–256 characters",
    ),
  LIVEDESK_DEMO: booleanFlag,
  LIVEDESK_DEMO_INTERVAL_MS: z.coerce.number().int().min(100).default(8000),
  LIVEDESK_ALLOWED_ORIGINS: z.string().optional(),
  LIVEDESK_FRAME_ANCESTORS: z
    .string()
    .optional()
    .refine(
      (v) => list(v).every((source) => FRAME_ANCESTOR.test(source)),
      "must be CSP sources such as https://partner.example or https://*.news.example, separated by spaces or commas",
    ),
  LIVEDESK_WEBSUB_HUB: z
    .string()
    .trim()
    .optional()
    .refine(
      (v) => v === undefined || v === "" || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)),
      "must be an http or https address",
    ),
  LIVEDESK_PUBLIC_URL: z
    .string()
    .trim()
    .optional()
    .refine(
      (v) =>
        v === undefined ||
        v === "" ||
        (URL.canParse(v) &&
          /^https?:$/.test(new URL(v).protocol) &&
          new URL(v).pathname === "/" &&
          !/[?#]/.test(v)),
      "must be the site's http or https address without a path, e.g. https://news.example",
    ),
  LIVEDESK_VAPID_PUBLIC_KEY: vapidKey("an uncompressed P-256 public key", 65),
  LIVEDESK_VAPID_PRIVATE_KEY: vapidKey("a P-256 private key", 32),
  LIVEDESK_VAPID_SUBJECT: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || v === "" || /^(mailto:|https:\/\/)\S+$/.test(v),
      "must be a mailto: address or an https: URL",
    ),
  LIVEDESK_PUSH_INSECURE_ENDPOINTS: booleanFlag,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Database = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

export interface Config {
  port: number;
  host: string | undefined;
  database: Database;
  redisUrl: string | undefined;
  adminPassword: string | undefined;
  demo: boolean;
  demoIntervalMs: number;
  logLevel: z.infer<typeof environmentSchema>["LOG_LEVEL"];
  allowedOrigins: string[];
  frameAncestors: string[];
  /** A WebSub hub the feeds advertise and ping after commits; unset: none. */
  websubHub: string | undefined;
  /** The site's address (`https://news.example`) the pages' meta name; unset: the request's. */
  publicUrl: string | undefined;
  push: PushConfig;
}

/** `DATABASE_URL`: unset means `./data/livedesk.db`; `sqlite:/path/file.db` picks the file; `postgres://…` PostgreSQL. */
export function parseDatabaseUrl(url: string | undefined, cwd: string): Database {
  if (url === undefined || url === "")
    return { kind: "sqlite", file: path.resolve(cwd, "data", "livedesk.db") };
  if (url.startsWith("sqlite:")) {
    const file = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (file === "")
      throw new Error("DATABASE_URL: sqlite: needs a file path, e.g. sqlite:/var/lib/livedesk/livedesk.db");
    return { kind: "sqlite", file: path.resolve(cwd, file) };
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return { kind: "postgres", url };
  throw new Error("DATABASE_URL must start with sqlite: or postgres://");
}

/** Reads the configuration from the environment, naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Bad configuration: ${problems.join("; ")}`);
  }
  const e = parsed.data;
  const publicKey = e.LIVEDESK_VAPID_PUBLIC_KEY || undefined;
  const privateKey = e.LIVEDESK_VAPID_PRIVATE_KEY || undefined;
  if ((publicKey === undefined) !== (privateKey === undefined)) {
    throw new Error(
      "Bad configuration: LIVEDESK_VAPID_PUBLIC_KEY and LIVEDESK_VAPID_PRIVATE_KEY are set together or not at all",
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    database: parseDatabaseUrl(e.DATABASE_URL, cwd),
    redisUrl: e.REDIS_URL === "" ? undefined : e.REDIS_URL,
    adminPassword: e.LIVEDESK_ADMIN_PASSWORD === "" ? undefined : e.LIVEDESK_ADMIN_PASSWORD,
    demo: e.LIVEDESK_DEMO,
    demoIntervalMs: e.LIVEDESK_DEMO_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
    allowedOrigins: list(e.LIVEDESK_ALLOWED_ORIGINS),
    frameAncestors: list(e.LIVEDESK_FRAME_ANCESTORS),
    websubHub: e.LIVEDESK_WEBSUB_HUB === "" ? undefined : e.LIVEDESK_WEBSUB_HUB,
    publicUrl: e.LIVEDESK_PUBLIC_URL ? new URL(e.LIVEDESK_PUBLIC_URL).origin : undefined,
    push: {
      vapid: publicKey !== undefined && privateKey !== undefined ? { publicKey, privateKey } : undefined,
      subject: e.LIVEDESK_VAPID_SUBJECT || undefined,
      insecureEndpoints: e.LIVEDESK_PUSH_INSECURE_ENDPOINTS,
    },
  };
}
