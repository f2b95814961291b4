/**
 * The test run's build (test/support/global-setup.ts) is skipped only when nothing it read changed: a changed source,
 * a missing output or another key rebuilds.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFresh, stampKey, writeStamp } from '../../scripts/build-cache';

const ROOT = join(__dirname, '..', '..');

describe('a stamp', () => {
  let root: string;
  let stamp: string;
  let key: string;

  beforeEach(() => {
    // GIVEN a step that read two sources and wrote one output
    root = mkdtempSync(join(tmpdir(), 'build-cache-'));
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'src', 'b.ts'), 'export const b = 2;\n');
    writeFileSync(join(root, 'out', 'a.js'), 'exports.a = 1;\n');
    writeFileSync(join(root, 'lock.json'), '{"v":1}');
    stamp = join(root, 'out', '.stamp.json');
    key = stampKey(root, { target: 'node22' }, ['lock.json']);
    writeStamp(root, stamp, key, [join(root, 'src', 'a.ts'), 'src/b.ts', join(root, 'node_modules', 'x', 'index.js')]);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('is fresh when nothing changed', () => {
    expect(isFresh(root, stamp, key, ['out/a.js'])).toBe(true);
  });

  test('a changed source rebuilds; the same content again does not', () => {
    writeFileSync(join(root, 'src', 'b.ts'), 'export const b = 3;\n');
    expect(isFresh(root, stamp, key, ['out/a.js'])).toBe(false);
    writeFileSync(join(root, 'src', 'b.ts'), 'export const b = 2;\n');
    expect(isFresh(root, stamp, key, ['out/a.js'])).toBe(true);
  });

  test('a deleted source rebuilds', () => {
    rmSync(join(root, 'src', 'a.ts'));
    expect(isFresh(root, stamp, key, ['out/a.js'])).toBe(false);
  });

  test('a missing output rebuilds', () => {
    rmSync(join(root, 'out', 'a.js'));
    expect(isFresh(root, stamp, key, ['out/a.js'])).toBe(false);
  });

  test('other options or other installed packages rebuild', () => {
    expect(isFresh(root, stamp, stampKey(root, { target: 'node20' }, ['lock.json']), ['out/a.js'])).toBe(false);
    writeFileSync(join(root, 'lock.json'), '{"v":2}');
    expect(isFresh(root, stamp, stampKey(root, { target: 'node22' }, ['lock.json']), ['out/a.js'])).toBe(false);
  });

  test('no stamp, or an unreadable one, rebuilds', () => {
    expect(isFresh(root, join(root, 'none.json'), key, ['out/a.js'])).toBe(false);
    writeFileSync(stamp, 'not json');
    expect(isFresh(root, stamp, key, ['out/a.js'])).toBe(false);
  });
});

describe("this run's stamps", () => {
  const recorded = (step: string): Record<string, string> =>
    (
      JSON.parse(readFileSync(join(ROOT, 'dist', '.build-inputs', `${step}.json`), 'utf8')) as {
        inputs: Record<string, string>;
      }
    ).inputs;
  const sha = (file: string): string =>
    createHash('sha256')
      .update(readFileSync(join(ROOT, file)))
      .digest('hex');

  test.each([
    ['tsc', ['lib/index.ts', 'client/index.ts', 'client/server.ts', 'contract/attestation.ts']],
    ['entries', ['client/index.ts', 'client/attestation.ts', 'cli/run.ts', 'contract/local-mode.ts']],
    ['handlers', ['lambda/shared/errors.ts', 'contract/error-codes.ts']],
  ])('%s recorded the sources it read, as they are now', (step, expected) => {
    const inputs = recorded(step);
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining(expected));
    expect(Object.keys(inputs).some((f) => f.includes('node_modules'))).toBe(false);
    for (const [file, hash] of Object.entries(inputs)) expect([file, sha(file)]).toEqual([file, hash]);
  });
});

describe('npm run build && npm pack', () => {
  test('prepack builds only what changed: after a build (here the global setup), nothing', () => {
    // GIVEN dist/ built from the current sources (the global setup builds as `npm run build` does)
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts['prepack']).toBe('tsx scripts/build.ts --if-changed');

    // WHEN npm pack's prepack step runs
    const printed = execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/build.ts', '--if-changed'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );

    // THEN it builds nothing again
    expect(printed.trim()).toBe('build: tsc fresh, entries fresh, handlers fresh');
  });

  test('the tarball npm pack writes is ignored by git', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const ignored = execFileSync('git', ['check-ignore', '--no-index', `face-liveness-backend-${version}.tgz`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(ignored.trim()).toBe(`face-liveness-backend-${version}.tgz`);
  });
});
