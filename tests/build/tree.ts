import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

/**
 * Copies the repository as a fresh clone of this working tree would have it: the files git tracks
 * or would track (uncommitted edits included), without node_modules, dist/ or data/.
 */
export function copyCheckout(dest: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter((file) => file !== "" && fs.existsSync(path.join(ROOT, file)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(dest, file));
  }
}

/** Copies a built tree as an operator ships it: sources and dist/ with their times, no node_modules. */
export function copyBuiltTree(from: string, dest: string): void {
  fs.cpSync(from, dest, {
    recursive: true,
    preserveTimestamps: true,
    filter: (source) => !["node_modules", "data"].includes(path.relative(from, source)),
  });
}

/** The command lines of every process below `pid`, read from /proc. */
export function descendants(pid: number): string[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // The command name in parentheses may hold spaces; the parent's pid is the second field after it.
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: string[] = [];
  const visit = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      try {
        found.push(fs.readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").join(" ").trim());
      } catch {
        continue;
      }
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** Modification times of the files under `dir`, by path. */
export function mtimes(dir: string): Map<string, number> {
  const times = new Map<string, number>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    times.set(path.relative(dir, file), fs.statSync(file).mtimeMs);
  }
  return times;
}

/**
 * A folder of better-sqlite3 prebuilds holding the addon this checkout already compiled, named as
 * prebuild-install downloads it from the project's releases. `npm ci` finds it there through
 * `npm_config_better_sqlite3_local_prebuilds` (prebuild-install's local prebuilds), as a machine
 * that reaches GitHub gets it from there, instead of compiling SQLite again for minutes.
 */
export function betterSqlitePrebuilds(dir: string): string {
  const pkg = path.join(ROOT, "node_modules", "better-sqlite3");
  const { version } = z
    .object({ version: z.string() })
    .parse(JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")));
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  fs.mkdirSync(dir, { recursive: true });
  execFileSync("tar", ["-czf", path.join(dir, name), "-C", pkg, "build/Release/better_sqlite3.node"]);
  return dir;
}
