/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { HtmlTagDescriptor, Plugin } from 'vite';

// Three pages share one origin with the API (/api). Each page is its own entry so the
// client join page never downloads the staff app, and each media provider is its own
// chunk (dynamic import), so a join with the local provider never downloads the Chime SDK.
const page = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/** The head every page shares (written once here, so the three HTML files hold only what differs). */
function sharedHead(): Plugin {
  const meta = (attrs: Record<string, string>): HtmlTagDescriptor => ({ tag: 'meta', attrs, injectTo: 'head-prepend' });
  const icon = (attrs: Record<string, string>): HtmlTagDescriptor => ({ tag: 'link', attrs: { rel: 'icon', ...attrs }, injectTo: 'head' });
  return {
    name: 'shared-head',
    transformIndexHtml: () => [
      meta({ charset: 'utf-8' }),
      meta({ name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      meta({ name: 'referrer', content: 'no-referrer' }),
      icon({ href: '/favicon.svg', type: 'image/svg+xml' }),
      icon({ href: '/favicon.ico', sizes: '32x32' }),
    ],
  };
}

export default defineConfig({
  plugins: [sharedHead()],
  // The Chime SDK (and its protobuf dependency) refer to `global`.
  define: { global: 'globalThis' },
  resolve: { mainFields: ['browser', 'module', 'main'] },
  // Preact's JSX (the component library: docs/FRONTEND.md, "Why Preact with signals").
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    // Every browser the product supports loads modules natively: no polyfill (half a KiB on every page).
    // The preload links stay: a page's chunks, and a dynamic import's, are fetched together, not in turn.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: {
        index: page('index.html'),
        call: page('call.html'),
        join: page('join.html'),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
