/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The generated API hooks and core's light entry are CommonJS workspace packages (linked, not
// under node_modules), so Vite must be told to convert them. No inline scripts or eval in the output: the site runs under a
// strict CSP (script-src 'self').
const workspaceCommonJs = [
  "@sextant/api-typescript-react-query-hooks",
  "@sextant/core",
];

export default defineConfig({
  plugins: [react()],
  resolve: { dedupe: ["react", "react-dom", "@tanstack/react-query"] },
  optimizeDeps: { include: workspaceCommonJs },
  build: {
    outDir: "dist",
    sourcemap: true,
    // Which chunks each language loads at start (the website benchmark reads it).
    manifest: true,
    chunkSizeWarningLimit: 2000,
    commonjsOptions: {
      include: [/api\/generated\//, /packages\/core\/lib\//, /node_modules/],
    },
  },
  server: { port: 5173 },
  test: { setupFiles: ["src/test-setup.ts"] },
});
