import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npx ampx sandbox` writes amplify_outputs.json; without it (offline, CI) the app builds with the sample's placeholders.
const outputs = existsSync(new URL('./amplify_outputs.json', import.meta.url))
  ? 'amplify_outputs.json'
  : 'amplify_outputs.sample.json';
if (outputs !== 'amplify_outputs.json') console.warn(`[outputs] no amplify_outputs.json: building with ${outputs}`);

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The same fallback as tsconfig.json's `paths`, for the bundle.
    alias: { '@amplify-outputs': fileURLToPath(new URL(`./${outputs}`, import.meta.url)) },
    // One React and one Amplify UI, whichever way the package is installed (a registry tarball, or a link to a checkout
    // whose own node_modules hold another copy).
    dedupe: ['react', 'react-dom', '@aws-amplify/ui-react-liveness', 'aws-amplify'],
  },
  // The liveness component brings TensorFlow.js; one large chunk is expected.
  build: { chunkSizeWarningLimit: 4096 },
});
