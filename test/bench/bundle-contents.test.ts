/**
 * What the deployed bundles carry, read from esbuild's metafile: Powertools Logger and Metrics in every handler, and
 * Powertools Tracer (with the X-Ray SDK it wraps) only in the traced assets the construct deploys with traceAwsCalls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../bench/build';
import { HANDLER_ENTRIES, HANDLER_NAMES } from '../../lib/handler-assets';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'face-liveness-bundle-contents-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function packagesOf(name: (typeof HANDLER_NAMES)[number]): Promise<string[]> {
  const bundle = await buildBundle({ name, entry: HANDLER_ENTRIES[name], outDir: dir });
  return bundle.contributors.filter((c) => c.bytes > 0).map((c) => c.name);
}

test.each(HANDLER_NAMES.map((n) => [n]))('%s: bundles Powertools Logger and Metrics', async (name) => {
  // WHEN
  const packages = await packagesOf(name);
  // THEN
  expect(packages).toEqual(expect.arrayContaining(['@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics']));
});

test.each(HANDLER_NAMES.filter((n) => !n.endsWith('-traced')).map((n) => [n]))(
  '%s: carries no tracer and no X-Ray SDK',
  async (name) => {
    const packages = await packagesOf(name);
    expect(packages).not.toContain('@aws-lambda-powertools/tracer');
    expect(packages).not.toContain('aws-xray-sdk-core');
  },
);

test.each(HANDLER_NAMES.filter((n) => n.endsWith('-traced')).map((n) => [n]))(
  '%s: carries Powertools Tracer',
  async (name) => {
    const packages = await packagesOf(name);
    expect(packages).toEqual(expect.arrayContaining(['@aws-lambda-powertools/tracer', 'aws-xray-sdk-core']));
  },
);
