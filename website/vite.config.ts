import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The generated API hooks are a CommonJS workspace package (linked, not under node_modules), so
// Vite must be told to convert it. No inline scripts or eval in the output: the site runs under a
// strict CSP (script-src 'self').
const generatedHooks = "@sextant/api-typescript-react-query-hooks";

export default defineConfig({
  plugins: [react()],
  resolve: { dedupe: ["react", "react-dom", "@tanstack/react-query"] },
  optimizeDeps: { include: [generatedHooks] },
  build: {
    outDir: "dist",
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    commonjsOptions: { include: [/api\/generated\//, /node_modules/] },
  },
  server: { port: 5173 },
});
