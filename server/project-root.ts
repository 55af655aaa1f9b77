import fs from "node:fs";
import path from "node:path";

/**
 * The folder holding livedesk's package.json, looked for upwards from `from`. The server runs
 * from its source (server/, under tsx in tests and `npm run dev`) and compiled (dist/server/), at
 * different depths, and both must find the same dist/client.
 */
export function projectRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}
