/**
 * The README documents settings, error codes and regions that are defined in code. These tests fail when the two drift
 * apart: a new setting or error code must be documented, and a documented default must be the real one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../../common/error-codes';
import { HANDLER_ENV } from '../../common/handler-env';
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

describe('README, local mode', () => {
  const source = readFileSync(join(__dirname, '..', '..', 'local', 'start.ts'), 'utf8');
  // Every variable `npm start` reads itself (ports, LOCAL_*), and every handler variable it passes on.
  const startVariables = [...source.matchAll(/port\('([A-Z_]+)'|process\.env\.([A-Z_]+)/g)].map((m) => m[1] ?? m[2]!);
  const handlerVariables = Object.values(HANDLER_ENV).filter((name) => !['REKOGNITION_ENDPOINT', 'S3_ENDPOINT', 'DYNAMODB_ENDPOINT', 'SESSION_TABLE_NAME'].includes(name));
  const documented = readme
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!));

  it.each([...new Set([...startVariables, ...handlerVariables, 'LOCAL_AUTH', 'POWERTOOLS_LOG_LEVEL'])].map((name) => [name]))(
    'documents %s in a table',
    (name) => {
      expect(documented).toContain(name);
    },
  );
});
