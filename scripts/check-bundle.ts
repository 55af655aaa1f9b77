/**
 * The initial JavaScript budgets, checked after `vite build` (CI runs it in `npm test`): every
 * script a page's HTML loads or preloads, gzipped. The operator panel is split off and not
 * counted. Deterministic, so a plain number check is fair.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const BUDGETS = [
  /**
   * The reader's dashboard: 120 KB, the aim. About 63 KB today: Preact's React compatibility layer
   * (vite.config.ts), the Socket.IO client and zod/mini (the reader parses with shared/item.ts only;
   * full zod stays with the server and the operator panel).
   */
  { page: "index.html", name: "The reader's dashboard", bytes: 120 * 1024 },
  /**
   * The embeds partners put on their pages (/embed/ticker, /embed/feed): 60 KB, as issue #16 asks.
   * About 45 KB today: the Socket.IO client, zod/mini and the store; they render without Preact but
   * load its chunk (10 KB) for the shared chunk's execution order.
   */
  { page: "embed.html", name: "The embeds", bytes: 60 * 1024 },
];

const dist = path.resolve(import.meta.dirname, "..", "dist", "client");
let over = false;
for (const budget of BUDGETS) {
  const html = fs.readFileSync(path.join(dist, budget.page), "utf8");
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1] ?? "");
  let total = 0;
  for (const script of scripts) {
    const size = gzipSync(fs.readFileSync(path.join(dist, script))).length;
    total += size;
    process.stdout.write(`${budget.page} ${script}: ${(size / 1024).toFixed(1)} KB gzipped\n`);
  }
  process.stdout.write(
    `${budget.name}: initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${budget.bytes / 1024} KB)\n`,
  );
  if (scripts.length === 0 || total > budget.bytes) {
    process.stderr.write(`${budget.name}: initial JavaScript is over budget.\n`);
    over = true;
  }
}
if (over) process.exit(1);
