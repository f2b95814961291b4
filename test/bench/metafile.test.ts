/** Top contributors: the units one would decide to keep or cut. */
import { contributorOf, contributors } from '../../bench/metafile';
import { rotated } from '../../bench/rotation';
import { formatTable } from '../../bench/format';

describe('contributorOf', () => {
  it('names scoped and plain packages, even nested ones, by the innermost node_modules', () => {
    expect(contributorOf('node_modules/@smithy/core/dist-es/submodules/client/index.js')).toBe('@smithy/core');
    expect(contributorOf('../../work/main/node_modules/tslib/tslib.es6.mjs')).toBe('tslib');
    expect(contributorOf('node_modules/a/node_modules/@x/y/index.js')).toBe('@x/y');
  });

  it('names project files by their first two path segments', () => {
    expect(contributorOf('lambda/shared/errors.ts')).toBe('lambda/shared');
    expect(contributorOf('../contract/limits.ts')).toBe('contract/limits.ts');
  });
});

it('sums bytes per contributor, largest first', () => {
  // Act
  const result = contributors({
    'node_modules/@middy/core/index.js': { bytesInOutput: 10 },
    'lambda/shared/a.ts': { bytesInOutput: 7 },
    'lambda/shared/b.ts': { bytesInOutput: 8 },
  });

  // Assess
  expect(result).toEqual([
    { name: 'lambda/shared', bytes: 15 },
    { name: '@middy/core', bytes: 10 },
  ]);
});

it('rotates the running order round by round', () => {
  expect([0, 1, 2, 3].map((r) => rotated(['a', 'b', 'c'], r).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
});

it('formats a table with names left and numbers right', () => {
  expect(
    formatTable(
      ['name', 'n'],
      [
        ['a', '1'],
        ['bb', '22'],
      ],
    ),
  ).toBe(['| name |  n |', '|------|---:|', '| a    |  1 |', '| bb   | 22 |'].join('\n'));
});
