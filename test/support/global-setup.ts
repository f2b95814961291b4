/**
 * Builds the package the way `npm run build` does, once per test run: the handler assets the construct deploys
 * (dist/handlers) and the JavaScript + .d.ts the pack and example tests pack. Test files must not rebuild dist/
 * themselves: they run concurrently and read it. A step whose inputs did not change since it last ran (the files tsc
 * and esbuild read, their options, the installed packages) is skipped: see scripts/build.ts.
 */
import { buildPackage } from '../../scripts/build';

export default async function globalSetup(): Promise<void> {
  const report = await buildPackage({ ifChanged: true });
  if (Object.values(report).every((step) => step === 'fresh')) {
    process.stdout.write('\n[global setup] dist/ is up to date with its sources: nothing rebuilt.\n');
  }
}
