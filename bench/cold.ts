/**
 * Cold load: fresh Node processes, each loading one bundle and serving one invocation against the local AWS stub,
 * interleaved with an empty Node process in rotating order so that the machine's noise falls on every variant alike.
 */
import { join } from 'node:path';
import { HANDLER_ENV } from '../contract/handler-environment';
import { SETTING_RANGES } from '../contract/setting-rules';
import { runTimed } from './processes';
import { rotated } from './rotation';

export interface ColdVariant {
  readonly name: string;
  /** The bundle; undefined for the empty-Node baseline. */
  readonly file?: string;
  readonly eventFile: string;
  /** The status code a successful invocation answers with. */
  readonly expectedStatus?: number;
  /** Investigation only: a different environment for this variant (e.g. without NODE_OPTIONS). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface ColdSample {
  readonly wallMs: number;
  /** In the child, from its first line: loading the bundle, and serving the first invocation. */
  readonly loadMs: number;
  readonly invokeMs: number;
  /** CPU time of the whole child (user + system, all threads), ms. */
  readonly cpuMs: number;
}

const CHILD = join(__dirname, 'children', 'cold-child.cjs');

export async function measureCold(
  variants: readonly ColdVariant[],
  {
    samples,
    env,
    timeoutMs = 20_000,
    onRound,
  }: { samples: number; env: NodeJS.ProcessEnv; timeoutMs?: number; onRound?: (round: number) => void },
): Promise<Record<string, ColdSample[]>> {
  const results: Record<string, ColdSample[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let round = 0; round < samples; round++) {
    for (const variant of rotated(variants, round)) {
      const run = await runTimed(
        process.execPath,
        [CHILD, variant.file ?? '-', variant.eventFile],
        variant.env ?? env,
        timeoutMs,
      );
      let report: { loadMs?: number; invokeMs?: number; cpuMs?: number; statusCode?: number; error?: string } = {};
      try {
        report = JSON.parse(run.report) as typeof report;
      } catch {
        // reported below with stderr
      }
      if (
        run.code !== 0 ||
        report.error !== undefined ||
        (variant.expectedStatus !== undefined && report.statusCode !== variant.expectedStatus)
      ) {
        throw new Error(
          `cold start of ${variant.name} failed (exit ${run.code}, status ${report.statusCode}): ${report.error ?? run.stderr.slice(0, 2000)}`,
        );
      }
      results[variant.name]!.push({
        wallMs: run.wallMs,
        loadMs: report.loadMs ?? 0,
        invokeMs: report.invokeMs ?? 0,
        cpuMs: report.cpuMs ?? 0,
      });
    }
    onRound?.(round);
  }
  return results;
}

/**
 * The same cold start counted in CPU instructions under valgrind (callgrind) with V8's `--predictable` (one thread,
 * fixed seeds): about 50× slower, but contention on the machine does not change the count, so runs can go in
 * parallel and 3 samples separate candidates that wall time cannot (repeat runs agree within about 1%). It measures
 * the work of a cold start, not its latency: no cache misses, no I/O waits, no concurrent compilation.
 */
export async function measureColdInstructions(
  variants: readonly ColdVariant[],
  {
    samples,
    env,
    parallel = 2,
    timeoutMs = 180_000,
    onDone,
  }: {
    samples: number;
    env: NodeJS.ProcessEnv;
    parallel?: number;
    timeoutMs?: number;
    onDone?: (done: number, total: number) => void;
  },
): Promise<Record<string, number[]>> {
  const jobs = Array.from({ length: samples }, (_, round) => rotated(variants, round)).flat();
  const results: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const variant = jobs[next++]!;
      const args = [
        '--tool=callgrind',
        '--callgrind-out-file=/dev/null',
        process.execPath,
        '--predictable',
        CHILD,
        variant.file ?? '-',
        variant.eventFile,
      ];
      // Under valgrind a process runs tens of times slower, so a busy machine could push an SDK call past its per-call
      // timeout: the longest one the settings allow keeps waiting out of the count (handler and twin read the same).
      const slowEnv = {
        ...(variant.env ?? env),
        [HANDLER_ENV.SDK_TIMEOUT_MS]: String(SETTING_RANGES.sdkTimeoutMs.max),
      };
      const run = await runTimed('valgrind', args, slowEnv, timeoutMs).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT'
          ? new Error('valgrind is not installed: install it, or use --cold-metric wall or cpu')
          : error;
      });
      const refs = /I\s+refs:\s+([\d,]+)/.exec(run.stderr)?.[1];
      let report: { statusCode?: number; error?: string } = {};
      try {
        report = JSON.parse(run.report) as typeof report;
      } catch {
        // reported below
      }
      if (
        refs === undefined ||
        report.error !== undefined ||
        (variant.expectedStatus !== undefined && report.statusCode !== variant.expectedStatus)
      ) {
        throw new Error(
          `instruction count of ${variant.name} failed (status ${report.statusCode}): ${report.error ?? run.stderr.slice(-2000)}`,
        );
      }
      results[variant.name]!.push(Number(refs.replace(/,/g, '')));
      onDone?.(++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return results;
}
