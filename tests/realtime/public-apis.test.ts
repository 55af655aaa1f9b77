import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SERVER = path.resolve(import.meta.dirname, "..", "..", "server");

/** Every TypeScript file under server/, relative to it. */
function serverFiles(dir = SERVER): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverFiles(full);
    return entry.name.endsWith(".ts") ? [path.relative(SERVER, full)] : [];
  });
}

/*
 * The type checker keeps the server off members Socket.IO, Engine.IO and `ws` declare private, and
 * the style forbids casts around it; what is left is reading a field by name at run time
 * (`Reflect.get`, `obj["_x"]`) or an underscored member the typings happen to leave open. None may
 * appear under server/, so an upgrade of those libraries cannot break the server unnoticed.
 * metrics.ts's `Reflect` calls are the storage proxy's, on livedesk's own object.
 */
describe("the server keeps to the public APIs of Socket.IO, Engine.IO and ws", () => {
  const allowed = new Set(["metrics.ts"]);
  const patterns: [string, RegExp][] = [
    ["an underscored member", /\.\s*_[A-Za-z]\w*/],
    ["a member read by a name in quotes", /\[\s*["'`]_/],
    ["a field read by reflection", /\bReflect\.(get|apply|has|ownKeys|getOwnPropertyDescriptor)\b/],
    [
      "an internal of the broadcast",
      /\b(writeBuffer|wsPreEncodedFrame|_canSendPreEncodedFrame|Sender\.frame)\b/,
    ],
  ];

  it("has no file under server/ that reads a private field", () => {
    const found: string[] = [];
    for (const file of serverFiles()) {
      if (allowed.has(file)) continue;
      const lines = fs.readFileSync(path.join(SERVER, file), "utf8").split("\n");
      for (const [index, line] of lines.entries()) {
        if (/^\s*(\*|\/\/)/.test(line)) continue;
        for (const [what, pattern] of patterns)
          if (pattern.test(line)) found.push(`server/${file}:${index + 1}: ${what}: ${line.trim()}`);
      }
    }
    expect(found).toEqual([]);
  });
});
