import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // One React and one Amplify UI, whichever way the package is installed (a registry tarball, or a link to a checkout
  // whose own node_modules hold another copy).
  resolve: { dedupe: ['react', 'react-dom', '@aws-amplify/ui-react-liveness', 'aws-amplify'] },
  // The liveness component brings TensorFlow.js; one large chunk is expected.
  build: { chunkSizeWarningLimit: 4096 },
});
