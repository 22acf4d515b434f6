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
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/socket.io': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
