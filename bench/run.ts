/**
 * `npm run bench`: bundle size, cold load, warm overhead and the local end-to-end flow of both handlers, each next to
 * its bare twin measured in the same run. Prints tables, writes a JSON report, and with --check exits 1 on a missed
 * budget. Bounded: every child has a time limit, the whole run has one (--timeout), and nothing outlives it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { version as esbuildVersion } from 'esbuild';
import { startAwsStub } from './aws-stub-server';
import { checkBudgets, BUDGETS } from './budgets';
import { DEPLOYED_BUNDLING, DEPLOYED_NODE_OPTIONS } from './bundle-options';
import { PROJECT_ROOT, buildBundle, type Bundle } from './build';
import { measureCold, measureColdInstructions, type ColdVariant } from './cold';
import { measureEndToEnd } from './e2e';
import { benchEnvironment } from './environment';
import { benchEvent } from './events';
import { USAGE, parseOptions, type BenchOptions } from './options';
import { killAll } from './processes';
import {
  EMPTY,
  bundleTable,
  coldTable,
  contributorsText,
  e2eTable,
  handlerFigures,
  instructionsTable,
  warmTable,
  type BenchResults,
} from './report';
import { VARIANTS } from './variants';
import { measureWarm } from './warm';

const EXPECTED_STATUS = { createSession: 201, getResult: 200 } as const;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(options: BenchOptions): Promise<number> {
  const started = Date.now();
  const workDir = join(PROJECT_ROOT, '.bench', 'build');
  mkdirSync(join(workDir, 'events'), { recursive: true });
  const eventFiles = {
    createSession: join(workDir, 'events', 'create-session.json'),
    getResult: join(workDir, 'events', 'get-result.json'),
  };
  for (const [route, file] of Object.entries(eventFiles))
    writeFileSync(file, JSON.stringify(benchEvent(route as keyof typeof eventFiles)));

  const results: { -readonly [K in keyof BenchResults]: BenchResults[K] } = {};
  const needBundles = options.parts.some((p) => p === 'bundle' || p === 'cold');
  const bundles: Record<string, Bundle> = {};
  const warmBundles: Record<string, Bundle> = {};
  if (needBundles || options.parts.includes('warm')) {
    log("building bundles (esbuild, the construct's options)...");
    await Promise.all(
      VARIANTS.map(async (v) => {
        if (needBundles) bundles[v.name] = await buildBundle({ name: v.name, entry: v.entry, outDir: workDir });
        if (options.parts.includes('warm'))
          warmBundles[v.name] = await buildBundle({ name: v.name, entry: v.entry, outDir: workDir, warm: true });
      }),
    );
    if (options.parts.includes('bundle')) results.bundles = bundles;
  }

  if (options.parts.includes('cold')) {
    const stub = await startAwsStub();
    try {
      const variants: ColdVariant[] = [
        { name: EMPTY, eventFile: eventFiles.createSession },
        ...VARIANTS.map((v) => ({
          name: v.name,
          file: bundles[v.name]!.file,
          eventFile: eventFiles[v.route],
          expectedStatus: EXPECTED_STATUS[v.route],
        })),
      ];
      log(`cold starts: ${options.coldSamples} rounds × ${variants.length} processes, interleaved...`);
      results.cold = await measureCold(variants, {
        samples: options.coldSamples,
        env: benchEnvironment(stub.url),
        onRound: (r) => {
          if ((r + 1) % 4 === 0 || r + 1 === options.coldSamples) log(`  round ${r + 1}/${options.coldSamples}`);
        },
      });
      if (options.coldMetric === 'instructions') {
        log(`instructions: ${options.instructionSamples} × ${variants.length} runs under valgrind, 2 at a time...`);
        results.instructions = await measureColdInstructions(variants, {
          samples: options.instructionSamples,
          env: benchEnvironment(stub.url),
        });
      }
      const invocations =
        (options.coldSamples + (options.coldMetric === 'instructions' ? options.instructionSamples : 0)) *
        VARIANTS.length;
      const answered = [...stub.counts.values()].reduce((a, b) => a + b, 0);
      if (stub.counts.has('?') || answered < invocations) {
        throw new Error(
          `the AWS stub answered ${JSON.stringify(Object.fromEntries(stub.counts))} for ${invocations} cold invocations: an unknown operation, or a call that never reached it`,
        );
      }
      log(`  AWS calls answered by the stub: ${[...stub.counts].map(([op, n]) => `${op} ${n}`).join(', ')}`);
    } finally {
      await stub.close();
    }
  }

  if (options.parts.includes('warm')) {
    log(
      `warm: ${options.warmBatches} batches × ${options.warmIterations} invocations per variant, one process each, interleaved...`,
    );
    results.warm = await measureWarm(
      VARIANTS.map((v) => ({
        name: v.name,
        file: warmBundles[v.name]!.file,
        eventFile: eventFiles[v.route],
        expectedStatus: EXPECTED_STATUS[v.route],
      })),
      // The port-9 endpoint is never reached (send is stubbed); it only guarantees nothing could leave the machine.
      {
        warmup: options.warmWarmup,
        batches: options.warmBatches,
        iterations: options.warmIterations,
        env: benchEnvironment('http://127.0.0.1:9'),
        workDir,
      },
    );
  }

  if (options.parts.includes('e2e')) {
    log(
      `local end-to-end: ${options.e2eWarmup} warm-up and ${options.e2eFlows} measured flows per API at concurrency ${options.e2eConcurrency}...`,
    );
    results.e2e = await measureEndToEnd({
      flows: options.e2eFlows,
      warmupFlows: options.e2eWarmup,
      concurrency: options.e2eConcurrency,
    });
  }

  const verdicts = checkBudgets(handlerFigures(results, options.coldMetric));
  const out: string[] = [];
  if (results.bundles)
    out.push(
      bundleTable(results.bundles),
      '',
      'Top contributors (bytes in the minified bundle):',
      contributorsText(results.bundles, options.top),
      '',
    );
  if (results.cold) out.push(coldTable(results.cold), '');
  if (results.instructions) out.push(instructionsTable(results.instructions), '');
  if (results.warm) out.push(warmTable(results.warm), '');
  if (results.e2e) out.push(e2eTable(results.e2e), '');
  out.push(
    `Budgets (bundle ≤ ${BUDGETS.bundleRatio}× twin, cold over empty Node ≤ ${BUDGETS.coldRatio}× twin, warm ≤ twin + ${BUDGETS.warmExtraMicros} µs):`,
  );
  out.push(...verdicts.map((v) => `  ${v.message}`));
  const seconds = (Date.now() - started) / 1000;
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    esbuild: esbuildVersion,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadAverageAtEnd: loadavg(),
    nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS !== undefined,
    nodeOptions: DEPLOYED_NODE_OPTIONS,
    bundling: DEPLOYED_BUNDLING,
    seconds,
  };
  out.push(
    '',
    `${meta.node}, esbuild ${meta.esbuild}, ${meta.cpus} CPUs (${meta.cpuModel}), load average ${meta.loadAverageAtEnd.map((l) => l.toFixed(1)).join(' ')}, NODE_EXTRA_CA_CERTS ${meta.nodeExtraCaCerts ? 'set' : 'unset'}; ${seconds.toFixed(0)} s`,
  );
  process.stdout.write(`${out.join('\n')}\n`);

  const reportPath = resolve(PROJECT_ROOT, options.out);
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(
    reportPath,
    `${JSON.stringify({ meta, options, budgets: BUDGETS, verdicts, figures: handlerFigures(results, options.coldMetric), results }, null, 2)}\n`,
  );
  log(`report: ${relative(process.cwd(), reportPath)}`);
  return options.check && verdicts.some((v) => !v.ok) ? 1 : 0;
}

// The e2e part runs the SDK in this process: on Node 20 it would warn that it soon needs Node 22 (Lambda runs 24).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
if (options.help) {
  log(USAGE);
  process.exit(0);
}
const deadline = setTimeout(() => {
  log(`bench: stopped after --timeout ${options.timeoutSeconds} s`);
  killAll();
  process.exit(2);
}, options.timeoutSeconds * 1000);
main(options).then(
  (code) => {
    clearTimeout(deadline);
    killAll();
    process.exit(code);
  },
  (error: unknown) => {
    clearTimeout(deadline);
    killAll();
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
