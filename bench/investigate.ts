/**
 * The investigation behind README "Performance": what each dependency and each bundling choice costs,
 * measured like `npm run bench` (same builds, same cold and warm runners, interleaved, same run), on COPIES of the
 * handlers under /tmp. Nothing in lambda/ or lib/ is touched.
 *
 *   npx tsx bench/investigate.ts --set libraries|deps|bundling|maps|sdk|final [--samples 16] [--batches 7] [--instructions 3] [--source <project root>]
 *
 * --instructions N adds N instruction counts per candidate (valgrind, see measureColdInstructions): the figure that
 * stays put on a busy machine. --samples 0 or --batches 0 skip the wall-time cold or warm runs.
 *
 * Dependencies are swapped at bundling time for the prototypes in bench/investigate/prototypes (a no-op to measure a
 * library's cost, or a small replacement to measure a candidate change).
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { startAwsStub } from './aws-stub-server';
import { DEPLOYED_BUNDLING } from './bundle-options';
import { PROJECT_ROOT, buildBundle, type Bundle } from './build';
import { measureCold, measureColdInstructions, type ColdSample, type ColdVariant } from './cold';
import { benchEnvironment } from './environment';
import { benchEvent } from './events';
import { fmt, formatTable } from './format';
import { killAll } from './processes';
import { median } from './stats';
import { measureWarm } from './warm';

const WORK = '/tmp/liveness-bench-investigate';
const PROTOTYPES = join(__dirname, 'investigate', 'prototypes');

type Route = 'createSession' | 'getResult';
const ENTRY: Record<Route, string> = {
  createSession: 'lambda/create-session/index.ts',
  getResult: 'lambda/get-result/index.ts',
};
const TWIN: Record<Route, string> = {
  createSession: 'bench/twins/create-session.ts',
  getResult: 'bench/twins/get-result.ts',
};
const STATUS: Record<Route, number> = { createSession: 201, getResult: 200 };

interface Candidate {
  readonly name: string;
  readonly route: Route;
  readonly twin?: boolean;
  /** Import specifier → prototype file name in bench/investigate/prototypes. */
  readonly swap?: Readonly<Record<string, string>>;
  /** Text edits applied to this candidate's own copy of the sources. */
  readonly patches?: readonly {
    readonly file: string;
    readonly from: string;
    readonly to: string;
    readonly all?: boolean;
  }[];
  readonly bundling?: Readonly<Record<string, unknown>>;
  readonly esbuild?: Partial<BuildOptions>;
  /** NODE_OPTIONS for this candidate's processes (default: as deployed). */
  readonly nodeOptions?: string;
}

const MIDDY_MINI = { '@middy/core': 'mini-middy.ts' };
const PARSER_PLAIN = { '@middy/http-json-body-parser': 'json-body-parser.ts' };
const NO_LOGGER = {
  '@aws-lambda-powertools/logger': 'noop-logger.ts',
  '@aws-lambda-powertools/logger/middleware': 'noop-logger.ts',
};
const NO_METRICS = {
  '@aws-lambda-powertools/metrics': 'noop-metrics.ts',
  '@aws-lambda-powertools/metrics/middleware': 'noop-metrics.ts',
};
const ESM_BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

// The error mapping loaded on first error instead of at start (bundled either way: only its evaluation moves).
const LAZY_ERRORS = [
  { file: 'lambda/shared/middleware.ts', from: "import { toApiError } from './api-error-mapping';\n", to: '' },
  {
    file: 'lambda/shared/middleware.ts',
    from: '  onError: (request) => {\n    const error = toApiError(request.error);',
    to: "  onError: async (request) => {\n    const { toApiError } = await import('./api-error-mapping');\n    const error = toApiError(request.error);",
  },
];
// The SDK's lighter credential provider: Lambda always passes the role's credentials in the environment.
// One patch serves handler and twin: both build their clients from lambda/shared/sdk-options.ts.
const FROM_ENV = [
  {
    file: 'lambda/shared/sdk-options.ts',
    from: 'export interface SdkSettings',
    to: "import { fromEnv } from '@aws-sdk/credential-provider-env';\n\nexport interface SdkSettings",
  },
  {
    file: 'lambda/shared/sdk-options.ts',
    from: '    region: settings.region,',
    to: '    region: settings.region,\n    credentials: fromEnv(),',
  },
];

function depsSet(): Candidate[] {
  return (['createSession', 'getResult'] as const).flatMap((route) => {
    const r = route === 'createSession' ? 'create' : 'result';
    return [
      { name: `${r}: as is`, route },
      { name: `${r}: twin`, route, twin: true },
      { name: `${r}: middy core → mini`, route, swap: MIDDY_MINI },
      { name: `${r}: body parser → JSON.parse`, route, swap: PARSER_PLAIN },
      { name: `${r}: lazy error mapping`, route, patches: LAZY_ERRORS },
    ];
  });
}

/** The traced asset (lambda/<handler>/traced.ts) with traceAwsCalls on: Powertools Tracer on every SDK client. */
// LAMBDA_TASK_ROOT puts the X-Ray SDK in its Lambda mode (a facade segment per invocation, as deployed); set before
// the SDK loads, by a module with no imports that the entry loads first.
const tracedAsset = (route: Route) => [
  {
    file: ENTRY[route],
    from: "import middy from '@middy/core';",
    to: "import '../shared/client-tracing';\nimport '../shared/tracer';\nimport middy from '@middy/core';",
  },
  {
    file: 'lambda/shared/client-tracing.ts',
    from: 'type WrapClient',
    to: "process.env.LAMBDA_TASK_ROOT ??= '/var/task';\ntype WrapClient",
  },
  { file: 'lambda/shared/clients.ts', from: 'config.traceAwsCalls', to: 'true', all: true },
];

/** What each library of the handlers costs: each swapped for a no-op, side by side in one run (docs/performance.md). */
function librariesSet(): Candidate[] {
  return (['createSession', 'getResult'] as const).flatMap((route) => {
    const r = route === 'createSession' ? 'create' : 'result';
    return [
      { name: `${r}: as is`, route },
      { name: `${r}: twin`, route, twin: true },
      { name: `${r}: Powertools Logger → no-op`, route, swap: NO_LOGGER },
      { name: `${r}: Powertools Metrics → no-op`, route, swap: NO_METRICS },
      { name: `${r}: middy core → mini`, route, swap: MIDDY_MINI },
      { name: `${r}: traced (Powertools Tracer, traceAwsCalls)`, route, patches: tracedAsset(route) },
      ...(route === 'createSession'
        ? [{ name: `${r}: body parser → JSON.parse`, route, swap: PARSER_PLAIN } as Candidate]
        : []),
    ];
  });
}

function bundlingSet(): Candidate[] {
  const route = 'createSession' as const;
  return [
    { name: 'as deployed (cjs, minify, map, --enable-source-maps)', route },
    { name: 'twin, as deployed', route, twin: true },
    { name: 'NODE_OPTIONS without --enable-source-maps', route, nodeOptions: '' },
    { name: 'no source map at all', route, bundling: { sourceMap: false } },
    { name: 'format esm (.mjs + require banner)', route, esbuild: { format: 'esm', banner: { js: ESM_BANNER } } },
    { name: 'minify off', route, bundling: { minify: false } },
    { name: 'keepNames', route, bundling: { keepNames: true } },
    { name: 'legalComments none', route, esbuild: { legalComments: 'none' } },
    { name: "mainFields default (['main','module'])", route, bundling: { mainFields: undefined } },
    { name: 'target node20', route, bundling: { target: 'node20' } },
    { name: 'target es2019', route, bundling: { target: 'es2019' } },
  ];
}

function sdkSet(): Candidate[] {
  return (['createSession'] as const).flatMap((route) => [
    { name: 'as is', route },
    { name: 'twin', route, twin: true },
    { name: 'credentials: fromEnv()', route, patches: FROM_ENV },
    { name: 'twin, credentials: fromEnv()', route, twin: true, patches: FROM_ENV },
  ]);
}

function mapsSet(): Candidate[] {
  return (['createSession', 'getResult'] as const).flatMap((route) => [
    { name: `${route}: as deployed`, route },
    { name: `${route}: NODE_OPTIONS without --enable-source-maps`, route, nodeOptions: '' },
    { name: `${route}: no source map, NODE_OPTIONS as deployed`, route, bundling: { sourceMap: false } },
    { name: `${route}: twin, as deployed`, route, twin: true },
    { name: `${route}: twin, NODE_OPTIONS without --enable-source-maps`, route, twin: true, nodeOptions: '' },
  ]);
}

/** The remaining candidate changes side by side, both routes, with and without --enable-source-maps. */
function finalSet(): Candidate[] {
  return (['createSession', 'getResult'] as const).flatMap((route) => {
    const r = route === 'createSession' ? 'create' : 'result';
    return [
      { name: `${r}: as is`, route },
      { name: `${r}: twin`, route, twin: true },
      { name: `${r}: body parser → JSON.parse`, route, swap: PARSER_PLAIN },
      { name: `${r}: + mini middy`, route, swap: { ...PARSER_PLAIN, ...MIDDY_MINI } },
      { name: `${r}: as is, no --enable-source-maps`, route, nodeOptions: '' },
      { name: `${r}: twin, no --enable-source-maps`, route, twin: true, nodeOptions: '' },
    ];
  });
}

const SETS: Record<string, () => Candidate[]> = {
  final: finalSet,
  deps: depsSet,
  libraries: librariesSet,
  bundling: bundlingSet,
  sdk: sdkSet,
  maps: mapsSet,
};

function swapPlugin(swap: Readonly<Record<string, string>>): Plugin {
  const specifiers = Object.keys(swap);
  return {
    name: 'bench-swap',
    setup(b) {
      b.onResolve({ filter: /^@(aws-lambda-powertools|middy)\// }, (args) =>
        specifiers.includes(args.path) ? { path: join(PROTOTYPES, swap[args.path]!) } : undefined,
      );
    },
  };
}

/** A copy of the sources one candidate is built from, with its patches applied (each must match, once unless `all`). */
function prepareSources(source: string, dir: string, candidate: Candidate): void {
  rmSync(dir, { recursive: true, force: true });
  for (const folder of ['lambda', 'contract', 'lib', 'bench/twins'])
    cpSync(join(source, folder), join(dir, folder), { recursive: true });
  for (const patch of candidate.patches ?? []) {
    const file = join(dir, patch.file);
    const text = readFileSync(file, 'utf8');
    const count = text.split(patch.from).length - 1;
    if (count === 0 || (count > 1 && patch.all !== true))
      throw new Error(`${candidate.name}: patch of ${patch.file} matches ${count} times`);
    writeFileSync(file, text.replaceAll(patch.from, patch.to));
  }
}

function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const setName = argValue('--set', 'deps');
  const samples = Number(argValue('--samples', '16'));
  const batches = Number(argValue('--batches', '7'));
  const instructionSamples = Number(argValue('--instructions', '0'));
  const source = resolve(argValue('--source', PROJECT_ROOT));
  const makeSet = SETS[setName];
  if (!makeSet) throw new Error(`--set must be one of ${Object.keys(SETS).join(', ')}`);
  const candidates = makeSet();
  const work = join(WORK, setName);
  mkdirSync(work, { recursive: true });
  const eventFiles: Record<Route, string> = {
    createSession: join(work, 'create-session.json'),
    getResult: join(work, 'get-result.json'),
  };
  for (const route of ['createSession', 'getResult'] as const)
    writeFileSync(eventFiles[route], JSON.stringify(benchEvent(route)));

  process.stderr.write(`building ${candidates.length} candidates from ${source} in ${work}...\n`);
  const built: { c: Candidate; bundle: Bundle; warm: Bundle }[] = [];
  for (const [i, c] of candidates.entries()) {
    const dir = join(work, 'src', String(i));
    prepareSources(source, dir, c);
    const request = {
      name: String(i),
      entry: join(dir, c.twin === true ? TWIN[c.route] : ENTRY[c.route]),
      outDir: join(work, 'build'),
      bundling: { ...DEPLOYED_BUNDLING, ...c.bundling },
      nodePaths: [join(source, 'node_modules')],
      plugins: c.swap ? [swapPlugin(c.swap)] : [],
      ...(c.esbuild && { esbuild: c.esbuild }),
    };
    built.push({ c, bundle: await buildBundle(request), warm: await buildBundle({ ...request, warm: true }) });
  }

  const stub = await startAwsStub();
  let cold: Record<string, ColdSample[]> = {};
  let instructions: Record<string, number[]> = {};
  try {
    const env = benchEnvironment(stub.url);
    const variants: ColdVariant[] = [
      { name: 'empty', eventFile: eventFiles.createSession },
      ...built.map(({ c, bundle }) => ({
        name: c.name,
        file: bundle.file,
        eventFile: eventFiles[c.route],
        expectedStatus: STATUS[c.route],
        ...(c.nodeOptions !== undefined && { env: benchEnvironment(stub.url, { nodeOptions: c.nodeOptions }) }),
      })),
    ];
    if (samples > 0) {
      process.stderr.write(`cold: ${samples} rounds × ${variants.length} processes...\n`);
      cold = await measureCold(variants, { samples, env });
    }
    if (instructionSamples > 0) {
      process.stderr.write(
        `instructions: ${instructionSamples} × ${variants.length} runs under valgrind, 2 at a time...\n`,
      );
      instructions = await measureColdInstructions(variants, {
        samples: instructionSamples,
        env,
        onDone: (d, t) => {
          if (d % 10 === 0 || d === t) process.stderr.write(`  ${d}/${t}\n`);
        },
      });
    }
  } finally {
    await stub.close();
  }
  let warm: Record<string, number[]> = {};
  let warmCpu: Record<string, number[]> = {};
  if (batches > 0) {
    process.stderr.write(`warm: ${batches} batches × 2000 invocations...\n`);
    ({ wall: warm, cpu: warmCpu } = await measureWarm(
      built.map(({ c, warm: w }) => ({
        name: c.name,
        file: w.file,
        eventFile: eventFiles[c.route],
        expectedStatus: STATUS[c.route],
      })),
      { warmup: 3000, batches, iterations: 2000, env: benchEnvironment('http://127.0.0.1:9'), workDir: work },
    ));
  }

  const med = (values: readonly number[] | undefined) => (values && values.length > 0 ? median(values) : Number.NaN);
  const emptyWall = med(cold.empty?.map((s) => s.wallMs));
  const emptyCpu = med(cold.empty?.map((s) => s.cpuMs));
  const emptyInstr = med(instructions.empty);
  const rows: string[][] = [];
  const baseline = new Map<
    Route,
    { bytes: number; wall: number; cpu: number; instr: number; warm: number; warmCpu: number }
  >();
  const show = (n: number, f: (x: number) => string) => (Number.isNaN(n) ? '' : f(n));
  for (const { c, bundle } of built) {
    const samplesOf = cold[c.name] ?? [];
    const wall = med(samplesOf.map((s) => s.wallMs)) - emptyWall;
    const cpu = med(samplesOf.map((s) => s.cpuMs)) - emptyCpu;
    const instr = (med(instructions[c.name]) - emptyInstr) / 1e6;
    const us = med(warm[c.name]);
    const usCpu = med(warmCpu[c.name]);
    if (!baseline.has(c.route))
      baseline.set(c.route, { bytes: bundle.bytes, wall, cpu, instr, warm: us, warmCpu: usCpu });
    const b = baseline.get(c.route)!;
    rows.push([
      c.name,
      fmt.bytes(bundle.bytes),
      fmt.signed(bundle.bytes - b.bytes, 0),
      fmt.bytes(bundle.gzipBytes),
      show(wall, (x) => `${fmt.signed(x)} (${fmt.signed(x - b.wall)})`),
      show(cpu, (x) => `${fmt.signed(x)} (${fmt.signed(x - b.cpu)})`),
      show(instr, (x) => `${fmt.signed(x)} (${fmt.signed(x - b.instr)}, ${fmt.signed((x / b.instr - 1) * 100)}%)`),
      show(us, (x) => `${fmt.us(x)} (${fmt.signed(x - b.warm)})`),
      show(usCpu, (x) => `${fmt.us(x)} (${fmt.signed(x - b.warmCpu)})`),
    ]);
  }
  const table = formatTable(
    [
      'candidate',
      'bytes',
      'Δ bytes',
      'gzip',
      'cold wall ms over empty (Δ)',
      'cold CPU ms over empty (Δ)',
      'cold M instructions over empty (Δ)',
      'warm µs (Δ)',
      'warm CPU µs (Δ)',
    ],
    rows,
  );
  const summary = `empty node: wall ${show(emptyWall, fmt.ms)} ms, CPU ${show(emptyCpu, fmt.ms)} ms, ${show(emptyInstr / 1e6, fmt.ms)} M instructions; ${samples} cold rounds, ${instructionSamples} instruction counts, warm ${batches} × 2000; medians; Δ = against the first candidate of the same route`;
  process.stdout.write(`${table}\n${summary}\n`);
  writeFileSync(
    join(work, 'report.json'),
    JSON.stringify(
      {
        set: setName,
        samples,
        batches,
        instructionSamples,
        source,
        cold,
        instructions,
        warm,
        warmCpu,
        bundles: built.map(({ c, bundle }) => ({ ...bundle, name: c.name })),
      },
      null,
      2,
    ),
  );
  process.stderr.write(`report: ${join(work, 'report.json')}\n`);
}

main().then(
  () => {
    killAll();
    process.exit(0);
  },
  (error: unknown) => {
    killAll();
    process.stderr.write(
      `investigate failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
