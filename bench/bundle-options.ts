/**
 * How the stack bundles a handler, as esbuild JS API options: the bench must measure the very file the stack deploys.
 *
 * TODO(lead): lib/liveness-function.ts builds its `bundling` props inline, so they are mirrored here (the ONE copy in
 * bench). Export them from there as one definition, e.g.
 *   export const LIVENESS_BUNDLING = { forceDockerBundling: false, externalModules: [], minify: true, ... } as const satisfies BundlingOptions;
 *   export const LIVENESS_NODE_OPTIONS = '--enable-source-maps';
 * use them in the construct, and replace MIRRORED_BUNDLING / DEPLOYED_NODE_OPTIONS below with imports.
 */
import type { BuildOptions } from 'esbuild';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Mirror of the construct's `bundling` (string enums written as their values: CDK's enums are those strings). */
export const MIRRORED_BUNDLING = {
  forceDockerBundling: false,
  externalModules: [],
  minify: true,
  sourceMap: true,
  sourceMapMode: 'default',
  sourcesContent: false,
  target: 'node24',
  format: 'cjs',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
} as const satisfies Record<string, unknown>;

/** The construct sets NODE_OPTIONS on every function; source maps are read at load, so cold starts include them. */
export const DEPLOYED_NODE_OPTIONS = '--enable-source-maps';

type Bundling = Pick<BundlingOptions, 'externalModules' | 'minify' | 'sourcesContent' | 'target' | 'mainFields' | 'keepNames' | 'banner' | 'footer' | 'define' | 'loader' | 'metafile'> & {
  readonly sourceMap?: boolean;
  readonly sourceMapMode?: string;
  readonly format?: string;
  readonly logLevel?: string;
  readonly forceDockerBundling?: boolean;
};

/** Options this translation does not know: refuse them, so the bench can never silently build something else. */
const UNSUPPORTED = ['esbuildArgs', 'tsconfig', 'inject', 'nodeModules', 'preCompilation', 'commandHooks', 'charset', 'bundleAwsSDK', 'assetHash', 'image', 'dockerImage'];

/**
 * What aws-cdk-lib/aws-lambda-nodejs passes to esbuild (its `Bundling.buildEsbuildArgs`, aws-cdk-lib 2.276) for
 * these props: `--bundle --target --platform=node --format --minify --sourcemap --sources-content --external
 * --loader --define --log-level --keep-names --banner --footer --main-fields`. The JS API gives the same bytes as the
 * CLI for the same flags (checked once by hand against the CLI command: see bench/README.md).
 */
export function esbuildOptionsFor(bundling: Bundling, entry: string, outfile: string): BuildOptions {
  const unknown = Object.keys(bundling).filter((key) => UNSUPPORTED.includes(key));
  if (unknown.length > 0) throw new Error(`bench/bundle-options.ts does not translate ${unknown.join(', ')}: add it before trusting the bench`);
  // CDK: mode 'default' is a bare `--sourcemap` (a linked .map file); the others are passed as `--sourcemap=<mode>`.
  const mode = bundling.sourceMapMode ?? 'default';
  if (!['default', 'external', 'inline', 'both'].includes(mode)) throw new Error(`unknown sourceMapMode ${mode}`);
  const sourcemap = bundling.sourceMap === true ? (mode === 'default' ? true : (mode as 'external' | 'inline' | 'both')) : false;
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
