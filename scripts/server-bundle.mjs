// @ts-check
/**
 * How the server is bundled for plain `node`, shared by `npm run build:server` and the benchmarks
 * (bench/livedesk.ts), so that what the benchmarks measure is what production runs.
 *
 * Every package stays an import of node_modules (so native modules and `npm ci --omit=dev` work as
 * usual). Splitting keeps each dynamic `import()` of the sources dynamic in the output: code a
 * node loads only when configured or first used (PostgreSQL, Redis, the wire parser) goes in
 * chunks of its own, with the packages it imports. Without it esbuild would inline that code and
 * hoist its packages' imports to the top of the bundle, loading pg, ioredis and feedsmith into
 * every node at start.
 * @type {import("esbuild").BuildOptions}
 */
export const SERVER_BUNDLE = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20.19",
  packages: "external",
  splitting: true,
  sourcemap: true,
  logLevel: "warning",
};
