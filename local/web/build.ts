/**
 * Builds the example app (web/) into web/dist when it is missing or older than its sources, installing web/'s own
 * dependencies first when they are missing or older than its lockfile. Quick when nothing changed.
 *
 *   npx tsx local/web/build.ts [--force]
 *
 * `npm run test:e2e` and `npm run docs:screenshots` run it first; so can `npm start`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const WEB = join(ROOT, 'web');
const STAMP = join(WEB, 'dist', 'index.html');
/** Everything the bundle is made of: the app, its build config, and the shared client, component and contract it imports. */
const INPUTS = [
  'web/src',
  'web/index.html',
  'web/vite.config.ts',
  'web/tsconfig.json',
  'web/package-lock.json',
  'client',
  'react',
  'contract',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function run(args: string[]): void {
  execFileSync('npm', args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' },
  });
}

const force = process.argv.includes('--force');
const installed = join(WEB, 'node_modules', '.package-lock.json');
if (force || !existsSync(installed) || statSync(join(WEB, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs) {
  console.log('[web build] installing web/ dependencies (npm ci --prefix web)');
  run(['ci', '--prefix', 'web']);
}
const sources = Math.max(...INPUTS.map((p) => newestMtime(join(ROOT, p))));
if (force || !existsSync(STAMP) || statSync(STAMP).mtimeMs < sources) {
  console.log('[web build] building web/dist');
  run(['run', 'build', '--prefix', 'web']);
} else {
  console.log('[web build] web/dist is up to date');
}
