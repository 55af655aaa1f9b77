import { execFileSync } from "node:child_process";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** A project's compiler options and files, as `tsc -b` reads them from its tsconfig.json. */
function project(dir: string): ts.ParsedCommandLine {
  const configFile = path.join(ROOT, dir, "tsconfig.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (parsed === undefined) throw new Error(`cannot read ${configFile}`);
  return parsed;
}

/**
 * The type errors of `code` as a file of the project in `dir`: checked with that project's own
 * options (its lib and its types), as if it sat beside the project's other files.
 */
function typeErrors(dir: string, code: string): string[] {
  const { options, fileNames } = project(dir);
  const probe = path.join(ROOT, dir, "probe-of-the-build-test.ts");
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => (file === probe ? code : readFile(file));
  host.fileExists = (file) => file === probe || fileExists(file);
  // With the project's own declaration files (shared/runtime.d.ts): they are part of its environment.
  const declarations = fileNames.filter((file) => file.endsWith(".d.ts"));
  // Not composite: the probe is not in the project's file list, and nothing is written.
  const program = ts.createProgram(
    [...declarations, probe],
    { ...options, composite: false, emitDeclarationOnly: false, noEmit: true },
    host,
  );
  const source = program.getSourceFile(probe);
  if (source === undefined) throw new Error("the probe was not read");
  return ts
    .getPreEmitDiagnostics(program, source)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
}

describe("one TypeScript project per side", () => {
  it("refuses the DOM in the server and Node in the dashboard, and both in shared/", () => {
    const window = "export const here = window.location.href;";
    const buffer = 'export const bytes = Buffer.from("x");';
    expect(typeErrors("server", window)).toEqual([expect.stringMatching(/^Cannot find name 'window'/)]);
    expect(typeErrors("client", buffer)).toEqual([expect.stringMatching(/^Cannot find name 'Buffer'/)]);
    expect(typeErrors("shared", window)).toEqual([expect.stringMatching(/^Cannot find name 'window'/)]);
    expect(typeErrors("shared", buffer)).toEqual([expect.stringMatching(/^Cannot find name 'Buffer'/)]);
  });

  it("gives each side what its runtime has", () => {
    expect(typeErrors("server", 'export const bytes = Buffer.from("x").length + process.pid;')).toEqual([]);
    expect(typeErrors("client", "export const here = window.location.href;")).toEqual([]);
    // What both runtimes have, declared for shared/ in shared/runtime.d.ts.
    expect(typeErrors("shared", 'export const ok = URL.canParse("https://example.com/");')).toEqual([]);
  });

  it("checks every TypeScript file of the repository in one of the projects npm run typecheck builds", () => {
    const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
      cwd: ROOT,
      encoding: "utf8",
    })
      .split("\n")
      .filter((file) => /\.(ts|tsx|mts|mjs)$/.test(file) && !file.endsWith(".d.ts"))
      .map((file) => path.join(ROOT, file));
    const checked = new Set(["shared", "server", "client", "."].flatMap((dir) => project(dir).fileNames));
    expect(tracked.filter((file) => !checked.has(file))).toEqual([]);
    expect(project(".").projectReferences?.map((reference) => path.relative(ROOT, reference.path))).toEqual([
      "shared",
      "server",
      "client",
    ]);
  });
});
