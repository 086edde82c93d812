import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The platform serves dist/ at / (index.html for client-side routes, dist/assets/* with long cache
// headers: file names carry a content hash). `npx vite` serves the sources and proxies the API.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
