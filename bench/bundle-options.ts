/**
 * How the stack bundles a handler, as esbuild JS API options: the bench measures the very file the stack deploys, built
 * from the construct's own definition (lib/liveness-function.ts).
 */
import type { BuildOptions } from 'esbuild';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LIVENESS_BUNDLING, LIVENESS_NODE_OPTIONS } from '../lib/liveness-function';

/** The construct's `bundling` (CDK's string enums are the strings esbuild takes). */
export const DEPLOYED_BUNDLING = LIVENESS_BUNDLING;

/** The construct sets NODE_OPTIONS on every function; source maps are read at load, so cold starts include them. */
export const DEPLOYED_NODE_OPTIONS = LIVENESS_NODE_OPTIONS;

type Bundling = Pick<
  BundlingOptions,
  | 'externalModules'
  | 'minify'
  | 'sourcesContent'
  | 'target'
  | 'mainFields'
  | 'keepNames'
  | 'banner'
  | 'footer'
  | 'define'
  | 'loader'
  | 'metafile'
> & {
  readonly sourceMap?: boolean;
  readonly sourceMapMode?: string;
  readonly format?: string;
  readonly logLevel?: string;
  readonly forceDockerBundling?: boolean;
};

/** Options this translation does not know: refuse them, so the bench can never silently build something else. */
const UNSUPPORTED = [
  'esbuildArgs',
  'tsconfig',
  'inject',
  'nodeModules',
  'preCompilation',
  'commandHooks',
  'charset',
  'bundleAwsSDK',
  'assetHash',
  'image',
  'dockerImage',
];

/**
 * What aws-cdk-lib/aws-lambda-nodejs passes to esbuild (its `Bundling.buildEsbuildArgs`, aws-cdk-lib 2.276) for
 * these props: `--bundle --target --platform=node --format --minify --sourcemap --sources-content --external
 * --loader --define --log-level --keep-names --banner --footer --main-fields`. The JS API gives the same bytes as the
 * CLI for the same flags (checked once by hand against the CLI command: see docs/performance.md).
 */
export function esbuildOptionsFor(bundling: Bundling, entry: string, outfile: string): BuildOptions {
  const unknown = Object.keys(bundling).filter((key) => UNSUPPORTED.includes(key));
  if (unknown.length > 0)
    throw new Error(
      `bench/bundle-options.ts does not translate ${unknown.join(', ')}: add it before trusting the bench`,
    );
  // CDK: mode 'default' is a bare `--sourcemap` (a linked .map file); the others are passed as `--sourcemap=<mode>`.
  const mode = bundling.sourceMapMode ?? 'default';
  if (!['default', 'external', 'inline', 'both'].includes(mode)) throw new Error(`unknown sourceMapMode ${mode}`);
  const sourcemap =
    bundling.sourceMap === true ? (mode === 'default' ? true : (mode as 'external' | 'inline' | 'both')) : false;
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    ...(bundling.target !== undefined && { target: bundling.target }),
    ...(bundling.format !== undefined && { format: bundling.format as BuildOptions['format'] }),
    ...(bundling.minify === true && { minify: true }),
    ...(sourcemap !== false && { sourcemap }),
    ...(bundling.sourcesContent === false && { sourcesContent: false }),
    external: [...(bundling.externalModules ?? [])],
    ...(bundling.loader !== undefined && { loader: bundling.loader as BuildOptions['loader'] }),
    ...(bundling.define !== undefined && { define: bundling.define }),
    ...(bundling.keepNames === true && { keepNames: true }),
    ...(bundling.banner !== undefined && { banner: { js: bundling.banner } }),
    ...(bundling.footer !== undefined && { footer: { js: bundling.footer } }),
    ...(bundling.mainFields !== undefined && { mainFields: [...bundling.mainFields] }),
    logLevel: 'warning',
    metafile: true,
    write: true,
  };
}
