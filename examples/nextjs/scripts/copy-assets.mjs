#!/usr/bin/env node
// Self-hosts the liveness detector's assets under public/, offline, before `next dev` and `next build`:
//   - public/tfjs-wasm/: @tensorflow/tfjs-backend-wasm's binaries, the exact version the liveness component pins;
//   - public/face-model/: a face model's model.json and weights, copied from LIVENESS_FACE_MODEL_DIR when it is set
//     (AWS's model, downloaded once as docs/frontend.md says, or a stand-in for tests). Unset: the detector fetches
//     AWS's model from its CDN, and the CSP must allow it.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(here, 'package.json'));
// Resolve tfjs from the liveness component's own dependencies: the version it pins, wherever npm placed it.
// (Its package.json is not exported: go up from its entry, dist/index.js.)
const liveness = dirname(dirname(require.resolve('@aws-amplify/ui-react-liveness')));
const wasmDist = join(
  dirname(createRequire(join(liveness, 'package.json')).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);

function copyDir(from, to, keep) {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  const files = readdirSync(from).filter(keep);
  for (const file of files) copyFileSync(join(from, file), join(to, file));
  return files;
}

const wasm = copyDir(wasmDist, join(here, 'public', 'tfjs-wasm'), (f) => f.endsWith('.wasm'));
console.log(`[assets] public/tfjs-wasm: ${wasm.join(', ')}`);

const modelDir = process.env.LIVENESS_FACE_MODEL_DIR;
const modelOut = join(here, 'public', 'face-model');
if (modelDir) {
  if (!existsSync(join(modelDir, 'model.json')))
    throw new Error(`LIVENESS_FACE_MODEL_DIR has no model.json: ${modelDir}`);
  const files = copyDir(modelDir, modelOut, (f) => f.endsWith('.json') || f.endsWith('.bin'));
  console.log(`[assets] public/face-model: ${files.join(', ')}`);
} else {
  rmSync(modelOut, { recursive: true, force: true });
  console.log('[assets] no LIVENESS_FACE_MODEL_DIR: the detector will load its face model from AWS');
}
