/** `npm pack` of this repository (dist/ built by the test run's global setup), into a directory of the caller's. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface Packed {
  readonly tarball: string;
  readonly files: readonly string[];
}

export function npmPack(destination: string): Packed {
  const listing = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  );
  return {
    tarball: join(destination, listing[0].filename),
    files: listing[0].files.map((f: { path: string }) => f.path),
  };
}
