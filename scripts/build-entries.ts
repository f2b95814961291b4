/**
 * The package's JavaScript entries besides the construct (which tsc compiles to CommonJS, as aws-cdk-lib is): the
 * client, server and React entries as ES modules (shared code split into chunks, so a bundler keeps only what an app
 * uses) and as CommonJS for `require`, and the CLI as one CommonJS file. tsc writes their .d.ts; each entry also gets a
 * .d.mts beside it, so `import` under node16/nodenext resolution sees ES module types.
 *
 * The CommonJS server entry bundles `jose` (an ES module): `require` of an ES module needs Node 20.19 or newer, and
 * the package runs on every Node its `engines` names. No other build of ours contains `jose`.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const ROOT = resolve(__dirname, '..');

/** The subpath entries: `face-liveness-backend/<name>` → its source (package.json's `exports` names the outputs). */
export const PACKAGE_ENTRIES = {
  client: 'client/index.ts',
  server: 'client/server.ts',
  react: 'react/index.ts',
} as const;

/** Where tsc writes each entry's .d.ts and this build its .mjs / .cjs: dist/ plus the source's path. */
export const entryOutput = (source: string, extension: '.mjs' | '.cjs' | '.d.ts' | '.d.mts'): string =>
  join('dist', source.replace(/\.tsx?$/, extension));

export const CLI_OUTPUT = 'dist/cli/run.js';

/** The oldest Node `engines` allows, as esbuild's target (`>=20` → node20). */
export function lowestNode(root = ROOT): string {
  const { engines } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(engines?.node?.trim() ?? '');
  if (!match) throw new Error(`package.json engines.node must read ">=N[.N.N]" (got ${JSON.stringify(engines?.node)})`);
  return `${match[1]}.${match[2] ?? 0}.${match[3] ?? 0}`;
}

function packageNames(root: string): { dependencies: string[]; peers: string[] } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
  return { dependencies: Object.keys(pkg['dependencies'] ?? {}), peers: Object.keys(pkg['peerDependencies'] ?? {}) };
}

/** The esbuild options of each output: exported so the build's stamp covers them. */
export function entryBuildOptions(root = ROOT): Record<'esm' | 'cjs' | 'cli', BuildOptions> {
  const sources = Object.values(PACKAGE_ENTRIES);
  const { dependencies, peers } = packageNames(root);
  const node = `node${lowestNode(root).split('.')[0]}`;
  const common: BuildOptions = {
    absWorkingDir: root,
    bundle: true,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
    jsx: 'automatic',
  };
  // The CommonJS React entry requires the client entry instead of carrying a copy of it: one LivenessError class.
  const clientBySelfReference: Plugin = {
    name: 'client-by-self-reference',
    setup(build) {
      build.onResolve({ filter: /^\.\.\/client$/ }, (args) =>
        args.importer.startsWith(join(root, 'react'))
          ? { path: 'face-liveness-backend/client', external: true }
          : undefined,
      );
    },
  };
  return {
    esm: {
      ...common,
      entryPoints: sources,
      outbase: '.',
      outdir: 'dist',
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      packages: 'external',
    },
    cjs: {
      ...common,
      entryPoints: sources,
      outbase: '.',
      outdir: 'dist',
      format: 'cjs',
      platform: 'node',
      target: node,
      outExtension: { '.js': '.cjs' },
      // Everything the package depends on stays a `require`, except jose (ES module only): see above.
      external: [...dependencies.filter((name) => name !== 'jose'), ...peers].flatMap((name) => [name, `${name}/*`]),
      plugins: [clientBySelfReference],
    },
    cli: {
      ...common,
      entryPoints: ['cli/run.ts'],
      outfile: CLI_OUTPUT,
      format: 'cjs',
      platform: 'node',
      target: node,
      packages: 'external',
    },
  };
}

/** Every output this step writes (relative to the root). */
export function entryOutputs(): string[] {
  return [
    ...Object.values(PACKAGE_ENTRIES).flatMap((source) => [
      entryOutput(source, '.mjs'),
      entryOutput(source, '.cjs'),
      entryOutput(source, '.d.mts'),
    ]),
    CLI_OUTPUT,
  ];
}

/**
 * Builds the entries (after tsc: the .d.mts files re-export tsc's .d.ts); returns the files esbuild read. tsc's own
 * per-file JavaScript of the client stays out of the package (package.json `files`).
 */
export async function buildEntries(root = ROOT): Promise<string[]> {
  rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
  const results = await Promise.all(Object.values(entryBuildOptions(root)).map((options) => build(options)));
  for (const source of Object.values(PACKAGE_ENTRIES)) {
    const types = entryOutput(source, '.d.ts');
    const name = types.slice(types.lastIndexOf('/') + 1).replace(/\.d\.ts$/, '');
    writeFileSync(
      join(root, entryOutput(source, '.d.mts')),
      `// The ES module view of ${name}.d.ts (the same declarations).\nexport * from './${name}.js';\n`,
    );
  }
  return [...new Set(results.flatMap((result) => Object.keys(result.metafile?.inputs ?? {})))];
}
