/**
 * Bundles each handler once with the construct's LIVENESS_BUNDLING into dist/handlers/<name>/ (index.js + its map):
 * the asset folders the construct deploys with lambda.Code.fromAsset and the package ships. One way to build a
 * function: `npm run build`, the tests (test/support/global-setup.ts), `cdk synth` of this repository and the bench.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { esbuildOptionsFor } from '../bench/bundle-options';
import { HANDLER_ASSETS_DIR, HANDLER_ENTRIES, HANDLER_NAMES, type HandlerName } from '../lib/handler-assets';
import { LIVENESS_BUNDLING } from '../lib/liveness-function';

const ROOT = resolve(__dirname, '..');

/** The esbuild options one handler is built with. */
export function handlerBuildOptions(name: HandlerName, outfile: string): BuildOptions {
  return {
    ...esbuildOptionsFor(LIVENESS_BUNDLING, join(ROOT, HANDLER_ENTRIES[name]), outfile),
    absWorkingDir: ROOT,
    metafile: true,
  };
}

/** Builds one handler's asset folder; returns the path of its index.js and the files esbuild read (from ROOT). */
export async function buildHandlerWithInputs(
  name: HandlerName,
  outRoot = join(ROOT, HANDLER_ASSETS_DIR),
): Promise<{ outfile: string; inputs: string[] }> {
  const dir = join(outRoot, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'index.js');
  const result = await build(handlerBuildOptions(name, outfile));
  return { outfile, inputs: Object.keys(result.metafile?.inputs ?? {}) };
}

/** Builds one handler's asset folder; returns the path of its index.js. */
export async function buildHandler(name: HandlerName, outRoot?: string): Promise<string> {
  return (await buildHandlerWithInputs(name, outRoot)).outfile;
}

/** Builds every handler; returns the files esbuild read for them (from ROOT). */
export async function buildHandlers(outRoot?: string): Promise<string[]> {
  const built = await Promise.all(HANDLER_NAMES.map((name) => buildHandlerWithInputs(name, outRoot)));
  return [...new Set(built.flatMap((b) => b.inputs))];
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
