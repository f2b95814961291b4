/** What an esbuild metafile says about a bundle: bytes per package or project folder. Pure, for test/bench. */

export interface Contributor {
  readonly name: string;
  readonly bytes: number;
}

/**
 * The package (`@scope/name`, or `name`) for a file under node_modules, else its first two path segments
 * (`lambda/shared`, `contract/liveness-model.ts`): the units one would decide to keep or cut.
 */
export function contributorOf(inputPath: string): string {
  const parts = inputPath.split(/[\\/]/);
  const nm = parts.lastIndexOf('node_modules');
  if (nm >= 0) {
    const first = parts[nm + 1] ?? '?';
    return first.startsWith('@') ? `${first}/${parts[nm + 2] ?? '?'}` : first;
  }
  const rest = parts.filter((p) => p !== '' && p !== '.' && p !== '..');
  return rest.slice(0, 2).join('/');
}

/** Bytes each contributor adds to one output file, largest first. */
export function contributors(inputs: Readonly<Record<string, { readonly bytesInOutput: number }>>): Contributor[] {
  const totals = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const name = contributorOf(path);
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return [...totals]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}
