/**
 * Where the prebuilt handler bundles live. `npm run build` (scripts/build-handlers.ts) bundles each handler once with
 * LIVENESS_BUNDLING into `<package root>/dist/handlers/<name>/`; the construct deploys those folders with
 * `lambda.Code.fromAsset`, so a consumer's `cdk synth` bundles nothing and needs no esbuild, lockfile or Docker.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Handler names: each is a folder of the prebuilt assets holding `index.js` (exports `handler`) and its source map. */
export const HANDLER_NAMES = [
  'create-session',
  'get-result',
  'jwks',
  'identity',
  'create-session-traced',
  'get-result-traced',
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** Handler entry points, relative to the project root; each exports `handler`. */
export const HANDLER_ENTRIES: Readonly<Record<HandlerName, string>> = {
  'create-session': 'lambda/create-session/index.ts',
  'get-result': 'lambda/get-result/index.ts',
  jwks: 'lambda/jwks/index.ts',
  // Identity verification's backend routes (the `identity` prop).
  identity: 'lambda/identity/index.ts',
  // The same handlers with Powertools Tracer on their AWS SDK calls, deployed with traceAwsCalls: the default assets
  // then carry neither Tracer nor the X-Ray SDK.
  'create-session-traced': 'lambda/create-session/traced.ts',
  'get-result-traced': 'lambda/get-result/traced.ts',
};

/** Relative to the package root. */
export const HANDLER_ASSETS_DIR = path.join('dist', 'handlers');

/** The package root: the nearest folder above this file with a package.json (lib/ in a clone, dist/lib/ installed). */
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`face-liveness-backend: no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** The folder of one prebuilt handler; throws with the fix when the package was not built. */
export function handlerAssetPath(name: HandlerName): string {
  const dir = path.join(packageRoot(), HANDLER_ASSETS_DIR, name);
  if (!existsSync(path.join(dir, 'index.js'))) {
    throw new Error(
      `The prebuilt ${name} handler is missing (${path.join(HANDLER_ASSETS_DIR, name, 'index.js')}): run \`npm run build\` in the face-liveness-backend package.`,
    );
  }
  return dir;
}
