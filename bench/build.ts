/**
 * Builds each variant exactly as the stack does (bench/bundle-options.ts), and a second "warm" flavour that differs by
 * one appended statement: it hands the bundle's own smithy `Client` class to the warm runner, which stubs its `send`
 * (what aws-sdk-client-mock does, for a class that lives inside a bundle).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { DEPLOYED_BUNDLING, esbuildOptionsFor } from './bundle-options';
import { contributors, type Contributor } from './metafile';

export const PROJECT_ROOT = resolve(__dirname, '..');

export interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly mapBytes: number;
  readonly metafile: string;
  readonly contributors: readonly Contributor[];
}

export const WARM_HOOK = '__BENCH_SMITHY_CLIENTS__';

const warmHook: Plugin = {
  name: 'bench-warm-hook',
  setup(b) {
    b.onLoad({ filter: /[\\/]smithy-client[\\/]client\.js$/ }, (args) => ({
      contents: `${readFileSync(args.path, 'utf8')}\n;(globalThis.${WARM_HOOK} ??= []).push(Client);\n`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

export type BundlingOptions = typeof DEPLOYED_BUNDLING | Record<string, unknown>;

export interface BuildRequest {
  readonly name: string;
  /** Absolute, or relative to the project root. */
  readonly entry: string;
  readonly outDir: string;
  readonly bundling?: BundlingOptions;
  readonly warm?: boolean;
  /** For entries outside the project (investigation copies under /tmp): where to find node_modules. */
  readonly nodePaths?: readonly string[];
  /** Investigation only: more esbuild plugins (module substitutions). */
  readonly plugins?: readonly Plugin[];
  /** Investigation only: raw esbuild options on top of the construct's (e.g. legalComments). */
  readonly esbuild?: Partial<BuildOptions>;
}

export async function buildBundle(request: BuildRequest): Promise<Bundle> {
  const dir = join(request.outDir, request.warm === true ? `${request.name}.warm` : request.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const format = request.esbuild?.format ?? (request.bundling as { format?: string } | undefined)?.format;
  const file = join(dir, format === 'esm' ? 'index.mjs' : 'index.js');
  const options = esbuildOptionsFor(
    (request.bundling ?? DEPLOYED_BUNDLING) as Parameters<typeof esbuildOptionsFor>[0],
    resolve(PROJECT_ROOT, request.entry),
    file,
  );
  const result = await build({
    ...options,
    absWorkingDir: PROJECT_ROOT,
    ...request.esbuild,
    plugins: [...(request.plugins ?? []), ...(request.warm === true ? [warmHook] : [])],
    ...(request.nodePaths !== undefined && { nodePaths: [...request.nodePaths] }),
  });
  const metafile = result.metafile as Metafile;
  const metafilePath = join(dir, 'meta.json');
  writeFileSync(metafilePath, JSON.stringify(metafile));
  const output = Object.entries(metafile.outputs).find(([path]) => /\.m?js$/.test(path));
  if (!output) throw new Error(`esbuild wrote no JavaScript for ${request.entry}`);
  const code = readFileSync(file);
  if (request.warm === true && !code.includes(WARM_HOOK))
    throw new Error(`warm hook not installed in ${request.name}: the smithy Client moved`);
  let mapBytes = 0;
  try {
    mapBytes = readFileSync(`${file}.map`).length;
  } catch {
    // no source map in this configuration
  }
  return {
    name: request.name,
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    mapBytes,
    metafile: metafilePath,
    contributors: contributors(output[1].inputs),
  };
}
