/**
 * Bundles each handler once with the construct's LIVENESS_BUNDLING into dist/handlers/<name>/ (index.js + its map):
 * the asset folders the construct deploys with lambda.Code.fromAsset and the package ships. One way to build a
 * function: `npm run build`, the tests (test/support/global-setup.ts), `cdk synth` of this repository and the bench.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../bench/bundle-options';
import { HANDLER_ASSETS_DIR, HANDLER_ENTRIES, HANDLER_NAMES, type HandlerName } from '../lib/handler-assets';
import { LIVENESS_BUNDLING } from '../lib/liveness-function';

const ROOT = resolve(__dirname, '..');

/** Builds one handler's asset folder; returns the path of its index.js. */
export async function buildHandler(name: HandlerName, outRoot = join(ROOT, HANDLER_ASSETS_DIR)): Promise<string> {
  const dir = join(outRoot, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'index.js');
  await build({
    ...esbuildOptionsFor(LIVENESS_BUNDLING, join(ROOT, HANDLER_ENTRIES[name]), outfile),
    absWorkingDir: ROOT,
    metafile: false,
  });
  return outfile;
}

export async function buildHandlers(outRoot?: string): Promise<void> {
  await Promise.all(HANDLER_NAMES.map((name) => buildHandler(name, outRoot)));
}

if (require.main === module) {
  buildHandlers().then(
    () => console.log(`handlers built: ${HANDLER_NAMES.map((n) => join(HANDLER_ASSETS_DIR, n)).join(', ')}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
