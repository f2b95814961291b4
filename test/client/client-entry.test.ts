/**
 * The `face-liveness-backend/client` entry is for frontends: bundled for the browser, it must pull in no CDK module
 * (the packed package's own check is in test/package/pack.test.ts).
 */
import { join } from 'node:path';
import { build } from 'esbuild';

test('a browser bundle of client/index.ts contains no aws-cdk-lib, constructs or Node built-in', async () => {
  const result = await build({
    entryPoints: [join(__dirname, '..', '..', 'client', 'index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((p) => p.startsWith('client/'))).toBe(true);
  expect(
    inputs.filter(
      (p) => /node_modules\/(aws-cdk-lib|constructs)\//.test(p) || p.startsWith('lib/') || p.startsWith('node:'),
    ),
  ).toEqual([]);
});
