/**
 * The reader's initial JavaScript budget, checked after `vite build` (CI runs it in `npm test`):
 * every script the dashboard's index.html loads or preloads, gzipped. The operator panel is split
 * off and not counted. Deterministic, so a plain number check is fair.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * 120 KB, the aim. About 114 KB today: React, the Socket.IO client and zod/mini (the reader parses
 * with shared/item.ts only; full zod stays with the server and the operator panel).
 */
const BUDGET_BYTES = 120 * 1024;
const dist = path.resolve(import.meta.dirname, "..", "dist", "client");
const html = fs.readFileSync(path.join(dist, "index.html"), "utf8");
const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1] ?? "");
let total = 0;
for (const script of scripts) {
  const size = gzipSync(fs.readFileSync(path.join(dist, script))).length;
  total += size;
  process.stdout.write(`${script}: ${(size / 1024).toFixed(1)} KB gzipped\n`);
}
process.stdout.write(
  `initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)\n`,
);
if (scripts.length === 0 || total > BUDGET_BYTES) {
  process.stderr.write("The reader's initial JavaScript is over budget.\n");
  process.exit(1);
}
