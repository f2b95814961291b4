import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Where the app serves the TensorFlow.js WebAssembly binaries: set `binaryPath` to this to self-host them. */
const WASM_DIR = 'tfjs-wasm';

/**
 * Ships @tensorflow/tfjs-backend-wasm's binaries with the app (about 1.2 MB), from the exact version the liveness
 * component pins, so `binaryPath: "tfjs-wasm/"` works with no CDN. They are only fetched when the config points there.
 */
function tfjsWasmBinaries(): Plugin {
  const distDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const files = readdirSync(distDir).filter((f) => f.endsWith('.wasm'));
  return {
    name: 'tfjs-wasm-binaries',
    generateBundle() {
      for (const file of files) {
        this.emitFile({ type: 'asset', fileName: `${WASM_DIR}/${file}`, source: readFileSync(join(distDir, file)) });
      }
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0]?.match(new RegExp(`/${WASM_DIR}/([\\w.-]+\\.wasm)$`))?.[1];
        if (!name || !files.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(join(distDir, name)));
      });
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built app works from any path (a bucket prefix, a sub-directory, file-less hosting).
  base: './',
  plugins: [react(), tfjsWasmBinaries()],
  resolve: {
    // The typed client (../client) and the React component (../react) live outside this package: resolve what they
    // import from here, not from the repository root, so the app bundles one React and one Amplify UI.
    dedupe: ['aws4fetch', 'react', 'react-dom', '@aws-amplify/ui-react-liveness'],
  },
  server: {
    fs: { allow: [join(here, '..')] },
  },
  build: {
    outDir: 'dist',
    // The liveness component brings TensorFlow.js; one large chunk is expected.
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
  },
});
