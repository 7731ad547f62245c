import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by every member at /ui from the classpath folder keel-ui/.
export default defineConfig({
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: 'target/classes/keel-ui',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:2379' } },
});
