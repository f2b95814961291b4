import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // The liveness component brings TensorFlow.js; one large chunk is expected.
  build: { chunkSizeWarningLimit: 4096 },
});
