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
  // The same fallback as tsconfig.json's `paths`, for the bundle.
  resolve: { alias: { '@amplify-outputs': fileURLToPath(new URL(`./${outputs}`, import.meta.url)) } },
  // The liveness component brings TensorFlow.js; one large chunk is expected.
  build: { chunkSizeWarningLimit: 4096 },
});
