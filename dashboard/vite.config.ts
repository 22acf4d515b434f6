import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The cockpit is a static bundle served by the hub; nothing is fetched from outside at run time.
export default defineConfig({
  root: 'web',
  base: '/',
  build: {
    outDir: '../dist-web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
    sourcemap: false,
    // Two pages: the cockpit (/) and the grid workers' phone app (/field/, docs/field.md).
    rollupOptions: {
      input: {
        cockpit: fileURLToPath(new URL('web/index.html', import.meta.url)),
        field: fileURLToPath(new URL('web/field/index.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/socket.io': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
