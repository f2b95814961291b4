/**
 * Skips a build step whose inputs did not change: a stamp records the digest of every input file the step read (tsc's
 * --listFiles, esbuild's metafile) and a key for everything else it depends on (options, the installed packages).
 * A step is fresh only if the key is the same, every output is there and every recorded input has the same content;
 * anything else rebuilds, so a stale output is never served. The stamps live in dist/, so removing dist/ clears them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';

interface Stamp {
  readonly key: string;
  /** Input file (relative to the root) -> sha256 of its content. */
  readonly inputs: Readonly<Record<string, string>>;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const digest = (file: string): string | undefined => {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
};

/** A key from values and the content of files (missing files count as missing, not as an error). */
export function stampKey(root: string, values: unknown, files: readonly string[]): string {
  return sha256(JSON.stringify({ values, files: files.map((f) => [f, digest(join(root, f)) ?? null]) }));
}

/** The installed packages, as npm records them: a dependency upgrade changes it. */
export function installedPackagesFile(root: string): string {
  const installed = join('node_modules', '.package-lock.json');
  return existsSync(join(root, installed)) ? installed : 'package-lock.json';
}

export function isFresh(root: string, stampFile: string, key: string, outputs: readonly string[]): boolean {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
  } catch {
    return false;
  }
  if (stamp.key !== key || typeof stamp.inputs !== 'object' || Object.keys(stamp.inputs).length === 0) return false;
  if (!outputs.every((output) => existsSync(join(root, output)))) return false;
  return Object.entries(stamp.inputs).every(([file, hash]) => digest(join(root, file)) === hash);
}

/** Records the inputs a step just read; files under node_modules are covered by the key's installed packages. */
export function writeStamp(root: string, stampFile: string, key: string, inputFiles: Iterable<string>): void {
  const inputs: Record<string, string> = {};
  for (const file of inputFiles) {
    const rel = isAbsolute(file) ? relative(root, file) : file;
    if (rel.startsWith('..') || rel.split(/[\\/]/).includes('node_modules')) continue;
    const hash = digest(join(root, rel));
    if (hash !== undefined) inputs[rel] = hash;
  }
  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, `${JSON.stringify({ key, inputs }, null, 1)}\n`);
}
