/**
 * The README's "Where things live" table makes each behaviour one hop from its code. This keeps it true: every file
 * it names exists and declares the symbol it names, so a rename that forgets the table fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function tableRows(): Array<{ behaviour: string; file: string; symbol: string }> {
  const section = readme.split(/^## Where things live$/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| [^-|]/.test(line) && !line.startsWith('| behaviour |'))
    .map((line) => {
      const [behaviour, file, symbol] = line
        .split('|')
        .slice(1, 4)
        .map((cell) => cell.trim().replace(/^`|`$/g, ''));
      return { behaviour: behaviour!, file: file!, symbol: symbol! };
    });
}

const rows = tableRows();

describe('README: Where things live', () => {
  test('has the six lookups of issue 10, one hop each', () => {
    const behaviours = rows.map((r) => r.behaviour).join('\n');
    for (const words of [
      /threshold is compared/,
      /CORS on API Gateway's own error/,
      /lockout is decided/,
      /S3 key prefix/,
      /function memory/,
      /Lambda runtime/,
      /feedback codes/,
    ]) {
      expect(behaviours).toMatch(words);
    }
  });

  test.each(rows.map((r) => [r.behaviour, r.file, r.symbol]))('%s: %s declares %s', (_, file, symbol) => {
    const path = join(root, file);
    expect(existsSync(path)).toBe(true);
    const declaration = new RegExp(`\\b(function|const|class|interface|type|let)\\s+${symbol}\\b`);
    expect(readFileSync(path, 'utf8')).toMatch(declaration);
  });
});
