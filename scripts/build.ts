/**
 * `npm run build`: the construct's JavaScript and every entry's .d.ts (tsc -p tsconfig.build.json), the client, server
 * and CLI entries (scripts/build-entries.ts: ES modules and CommonJS) and the handler folders the construct deploys
 * (scripts/build-handlers.ts), in dist/. Each step records what it read
 * (scripts/build-cache.ts), so `npm pack` (prepack: `--if-changed`) and the test run's global setup skip a step whose
 * inputs did not change: `npm run build && npm pack` builds once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLER_ASSETS_DIR, HANDLER_NAMES } from '../lib/handler-assets';
import { installedPackagesFile, isFresh, stampKey, writeStamp } from './build-cache';
import { buildEntries, entryBuildOptions, entryOutputs } from './build-entries';
import { buildHandlers, handlerBuildOptions } from './build-handlers';

const ROOT = join(__dirname, '..');
const STAMPS = join(ROOT, 'dist', '.build-inputs');
const TSC_BUILD_INFO = join(STAMPS, 'tsc.tsbuildinfo');
/** What tsconfig.build.json's entry points compile to. */
const TSC_OUTPUTS = ['dist/lib/index.js', 'dist/client/index.d.ts', 'dist/client/server.d.ts', 'dist/react/index.d.ts'];

export interface BuildReport {
  readonly tsc: 'built' | 'fresh';
  readonly entries: 'built' | 'fresh';
  readonly handlers: 'built' | 'fresh';
}

/**
 * tsc (tsconfig.build.json) into dist/, then the handler folders. `ifChanged`: skip each step whose inputs did not
 * change since it last ran; otherwise dist/ is removed first and everything is built.
 */
export async function buildPackage(options: { readonly ifChanged?: boolean } = {}): Promise<BuildReport> {
  if (!options.ifChanged) rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  const root = ROOT;
  const installed = installedPackagesFile(root);
  const stamps = STAMPS;
  // The handlers' esbuild options and the installed packages are inputs too, beside the files each step read.

  const tscStamp = join(stamps, 'tsc.json');
  const tscKey = stampKey(root, 'tsc', ['tsconfig.json', 'tsconfig.build.json', installed]);
  let tsc: BuildReport['tsc'] = 'fresh';
  if (!isFresh(root, tscStamp, tscKey, TSC_OUTPUTS)) {
    tsc = 'built';
    // tsc's build info does not know an output went missing: without it, tsc emits everything again.
    if (!TSC_OUTPUTS.every((output) => existsSync(join(root, output)))) rmSync(TSC_BUILD_INFO, { force: true });
    const args = [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')];
    // The build info sits beside the stamps in dist/: when dist/ goes, so does tsc's belief that it is up to date.
    const incremental = ['--incremental', '--tsBuildInfoFile', TSC_BUILD_INFO, '--listFiles'];
    let listed: string;
    try {
      listed = execFileSync(process.execPath, [...args, ...incremental], { cwd: root, encoding: 'utf8' });
    } catch (error) {
      // tsc prints its diagnostics on stdout.
      process.stdout.write(String((error as { stdout?: string }).stdout ?? ''));
      throw error;
    }
    writeStamp(
      root,
      tscStamp,
      tscKey,
      listed.split('\n').filter((line) => line.startsWith('/')),
    );
  }

  // After tsc: the entries' .d.mts files re-export its .d.ts, and a rebuilt tsc output rebuilds them.
  const entriesStamp = join(stamps, 'entries.json');
  const entriesKey = stampKey(root, entryBuildOptions(root), ['package.json', installed]);
  let entries: BuildReport['entries'] = 'fresh';
  if (tsc === 'built' || !isFresh(root, entriesStamp, entriesKey, entryOutputs())) {
    entries = 'built';
    writeStamp(root, entriesStamp, entriesKey, await buildEntries(root));
  }

  const handlersStamp = join(stamps, 'handlers.json');
  const esbuildOptions = HANDLER_NAMES.map((name) =>
    handlerBuildOptions(name, join(root, HANDLER_ASSETS_DIR, name, 'index.js')),
  );
  const handlersKey = stampKey(root, esbuildOptions, [installed]);
  const outputs = HANDLER_NAMES.map((name) => join(HANDLER_ASSETS_DIR, name, 'index.js'));
  let handlers: BuildReport['handlers'] = 'fresh';
  if (!isFresh(root, handlersStamp, handlersKey, outputs)) {
    handlers = 'built';
    writeStamp(root, handlersStamp, handlersKey, await buildHandlers());
  }
  return { tsc, entries, handlers };
}

if (require.main === module) {
  const ifChanged = process.argv.includes('--if-changed');
  buildPackage({ ifChanged }).then(
    ({ tsc, entries, handlers }) => console.log(`build: tsc ${tsc}, entries ${entries}, handlers ${handlers}`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
