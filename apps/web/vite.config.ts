/**
 * Vite build of the web app. `source` comes first in the resolve conditions so that the workspace packages
 * (@switchboard/client, @switchboard/protocol) are bundled from their TypeScript source, with no prior
 * `tsc -b` step and no stale dist.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev -w apps/web` proxies signaling to a server started with `npm start` on :8080.
    proxy: { '/ws': { target: 'ws://localhost:8080', ws: true } },
  },
});
