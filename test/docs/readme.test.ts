/**
 * The README documents settings, error codes and regions that are defined in code. These tests fail when the two drift
 * apart: a new setting or error code must be documented, and a documented default must be the real one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ERROR_CODES } from '../../common/error-codes';
import { FACE_LIVENESS_REGIONS } from '../../common/regions';
import { DEFAULT_SETTINGS, SETTING_NAMES } from '../../lib/settings';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

function tableRow(firstCell: string): string | undefined {
  return readme.split('\n').find((line) => line.startsWith(`| \`${firstCell}\` |`));
}

describe('README', () => {
  it.each(SETTING_NAMES.map((name) => [name]))('documents the setting %s with its real default', (name) => {
    const row = tableRow(name);
    expect(row).toBeDefined();
    const documentedDefault = row!.split('|')[2]!.trim();
    const actual = DEFAULT_SETTINGS[name];
    const expected = actual === undefined ? 'none' : `\`${Array.isArray(actual) ? actual.join(',') : String(actual)}\``;
    expect(documentedDefault).toBe(expected);
  });

  it.each(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]))('documents the error code %s with status %i', (code, status) => {
    const row = tableRow(String(code));
    expect(row).toBeDefined();
    expect(row!.split('|')[2]!.trim()).toMatch(new RegExp(`^${status}\\b`));
  });

  it('lists every supported region', () => {
    for (const region of FACE_LIVENESS_REGIONS) expect(readme).toContain(`\`${region}\``);
  });
});

describe('documentation links', () => {
  const ROOT = join(__dirname, '..', '..');
  const docs = ['README.md', 'docs/performance.md', 'examples/amplify-gen2/README.md', 'CHANGELOG.md', 'SECURITY.md'];

  it.each(docs.map((d) => [d]))('%s links only to files that exist', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t));
    if (doc === 'README.md') expect(targets).toEqual(expect.arrayContaining(['docs/performance.md', 'examples/amplify-gen2/']));
    const missing = targets.filter((t) => !existsSync(join(ROOT, dirname(doc), t)));
    expect(missing).toEqual([]);
  });
});
