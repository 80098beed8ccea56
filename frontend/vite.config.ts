import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Three pages share one origin with the API (/api). Each page is its own entry so the
// client join page never downloads the staff app, and each media provider is its own
// chunk (dynamic import), so a join with the local provider never downloads the Chime SDK.
const page = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  // The Chime SDK (and its protobuf dependency) refer to `global`.
  define: { global: 'globalThis' },
  resolve: { mainFields: ['browser', 'module', 'main'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
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
});
