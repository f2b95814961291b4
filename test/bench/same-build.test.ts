/**
 * One way to build a function: the bench measures byte for byte the handler files the package ships and the
 * construct deploys (scripts/build-handlers.ts, dist/handlers), both built from LIVENESS_BUNDLING.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../bench/build';
import { buildHandler } from '../../scripts/build-handlers';
import { HANDLER_ENTRIES, HANDLER_NAMES } from '../../lib/handler-assets';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'face-liveness-same-build-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each(HANDLER_NAMES.map((n) => [n]))('%s: the bench bundle is the shipped asset', async (name) => {
  const shipped = await buildHandler(name, join(dir, 'assets'));
  const benched = await buildBundle({ name, entry: HANDLER_ENTRIES[name], outDir: join(dir, 'bench') });
  expect(readFileSync(benched.file).equals(readFileSync(shipped))).toBe(true);
});
