/**
 * Builds the example app (web/) into web/dist when it is missing or older than its sources, installing web/'s own
 * dependencies first when they are missing or older than its lockfile. Quick when nothing changed.
 *
 *   npx tsx local/web/build.ts [--force] [--nextjs]
 *
 * `--nextjs` also builds examples/nextjs the same way (its `.next/`), with the browser test's stand-in face model
 * (.cache/e2e/face-model, from test/e2e/setup.sh) self-hosted in its public/ when present.
 *
 * `npm run test:e2e` and `npm run docs:screenshots` run it first; so can `npm start`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface App {
  readonly dir: string;
  /** A file the build writes last: its age is the build's. */
  readonly stamp: string;
  /** Everything the build is made of: the app, its build config, and the shared code it imports. */
  readonly inputs: readonly string[];
  readonly env?: Record<string, string>;
}

const SHARED = ['client', 'react', 'contract'];
const FACE_MODEL_DIR = join(process.env.E2E_CACHE_DIR ?? join(ROOT, '.cache', 'e2e'), 'face-model');

const WEB: App = {
  dir: 'web',
  stamp: 'web/dist/index.html',
  inputs: ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/tsconfig.json', 'web/package-lock.json', ...SHARED],
};

const NEXTJS: App = {
  dir: 'examples/nextjs',
  stamp: 'examples/nextjs/.next/BUILD_ID',
  inputs: [
    'examples/nextjs/app',
    'examples/nextjs/proxy.ts',
    'examples/nextjs/next.config.ts',
    'examples/nextjs/scripts',
    'examples/nextjs/tsconfig.json',
    'examples/nextjs/package-lock.json',
    'local/web/csp.ts',
    ...SHARED,
    ...(existsSync(FACE_MODEL_DIR) ? [FACE_MODEL_DIR] : []),
  ],
  env: {
    NEXT_TELEMETRY_DISABLED: '1',
    ...(existsSync(join(FACE_MODEL_DIR, 'model.json')) && { LIVENESS_FACE_MODEL_DIR: FACE_MODEL_DIR }),
  },
};

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function run(args: string[], env: Record<string, string> = {}): void {
  execFileSync('npm', args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', ...env },
  });
}

function build(app: App, force: boolean): void {
  const tag = `[${app.dir} build]`;
  const installed = join(ROOT, app.dir, 'node_modules', '.package-lock.json');
  const lockfile = join(ROOT, app.dir, 'package-lock.json');
  if (force || !existsSync(installed) || statSync(lockfile).mtimeMs > statSync(installed).mtimeMs) {
    console.log(`${tag} installing ${app.dir}/ dependencies (npm ci --prefix ${app.dir})`);
    run(['ci', '--prefix', app.dir]);
  }
  const stamp = join(ROOT, app.stamp);
  const sources = Math.max(...app.inputs.map((p) => newestMtime(join(ROOT, p))));
  if (force || !existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
    console.log(`${tag} building`);
    run(['run', 'build', '--prefix', app.dir], app.env);
  } else {
    console.log(`${tag} up to date`);
  }
}

const force = process.argv.includes('--force');
build(WEB, force);
if (process.argv.includes('--nextjs')) build(NEXTJS, force);
