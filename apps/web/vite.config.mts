import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const api = 'http://127.0.0.1:3000';

export default defineConfig({
  root: here('.'),
  plugins: [vue()],
  resolve: { alias: { '@fleet/shared': here('../../libs/shared/src/index.ts') } },
  build: { outDir: here('../../dist/apps/web'), emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': api, '/metrics': api, '/socket.io': { target: api, ws: true } } },
});
