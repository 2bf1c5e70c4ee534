// Vite build of the motcua web front end. Preact's JSX runtime through esbuild (no preset
// plugin); the officer and admin areas are separate chunks loaded with import(). The built page
// must run under the server's CSP (script-src 'self'; style-src 'self'): no inline script or
// style, so the module preload polyfill (an inline-free chunk) is kept but nothing is inlined.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
