import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: "client",
  plugins: [react()],
  // The pages are written against React's API and run on Preact's compatibility layer: the same
  // components in about 11 KB gzipped instead of React's 60, which a reader on a phone waits for.
  // Unit tests (vitest) keep real React, so the components stay React components.
  resolve: {
    alias: [
      { find: /^react-dom\/client$/, replacement: "preact/compat/client" },
      { find: /^react-dom$/, replacement: "preact/compat" },
      { find: /^react\/jsx-runtime$/, replacement: "preact/jsx-runtime" },
      { find: /^react\/jsx-dev-runtime$/, replacement: "preact/jsx-dev-runtime" },
      { find: /^react$/, replacement: "preact/compat" },
    ],
  },
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    // The dashboard, and the embeds partners frame (`/embed/ticker`, `/embed/feed`): an entry of
    // their own, so they load none of React.
    rollupOptions: {
      input: {
        main: path.resolve(import.meta.dirname, "client", "index.html"),
        embed: path.resolve(import.meta.dirname, "client", "embed.html"),
      },
      // Preact and the React glue in a chunk of its own, and zustand's vanilla store (which the glue
      // imports) claimed first by a group of its own so it does not follow the glue there. The
      // embeds still load the Preact chunk (10 KB gzipped): the shared chunk keeps an import of it
      // for execution order.
      output: {
        advancedChunks: {
          groups: [
            { name: "store", test: /node_modules[\\/]zustand[\\/]esm[\\/]vanilla/, priority: 2 },
            {
              name: "preact",
              test: /node_modules[\\/](preact|zustand[\\/]esm[\\/]react)|client[\\/]src[\\/]store[\\/]context/,
              priority: 1,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      "/api": "http://localhost:3000",
      "/socket.io": { target: "http://localhost:3000", ws: true },
    },
  },
});
