/**
 * CONTRIBUTING.md's "Where things live" table makes each behaviour one hop from its code. This keeps it true: every
 * file it names exists and declares the symbol it names, so a rename that forgets the table fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readDoc, section, tableRows } from '../support/markdown';

const rows = tableRows(section(readDoc('CONTRIBUTING.md'), '## Where things live')).map((cells) => {
  const [behaviour, file, symbol] = cells.map((cell) => cell.replace(/^`|`$/g, ''));
  return { behaviour: behaviour!, file: file!, symbol: symbol! };
});

describe('CONTRIBUTING.md: Where things live', () => {
  test('answers the newcomer lookups in one hop each', () => {
    const behaviours = rows.map((r) => r.behaviour).join('\n');
    for (const words of [
      /threshold is compared/,
      /CORS on API Gateway's own error/,
      /CORS preflight/,
      /lockout is decided/,
      /S3 key prefix/,
      /function memory/,
      /Lambda runtime/,
      /feedback codes/,
      /result function's IAM policy/,
      /attestation is signed/,
      /emulator decides a session's outcome/,
    ]) {
      expect(behaviours).toMatch(words);
    }
  });

  test.each(rows.map((r) => [r.behaviour, r.file, r.symbol]))('%s: %s declares %s', (_, file, symbol) => {
    const path = join(ROOT, file);
    expect(existsSync(path)).toBe(true);
    const declaration = new RegExp(`\\b(function|const|class|interface|type|let)\\s+${symbol}\\b`);
    expect(readFileSync(path, 'utf8')).toMatch(declaration);
  });
});
