/**
 * Builds the package the way `npm run build` does, once per test run: the handler assets the construct deploys
 * (dist/handlers) and the JavaScript + .d.ts the pack and example tests pack. Test files must not rebuild dist/
 * themselves: they run concurrently and read it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildHandlers } from '../../scripts/build-handlers';

const ROOT = join(__dirname, '..', '..');

export default async function globalSetup(): Promise<void> {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { cwd: ROOT, stdio: 'inherit' },
  );
  await buildHandlers();
}
