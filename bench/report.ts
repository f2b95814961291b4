/** Turns the measurements into the console tables, the budget figures and the JSON report. */
import type { HandlerFigures } from './budgets';
import type { Bundle } from './build';
import type { ColdSample } from './cold';
import type { EndToEndResult, FlowStats } from './e2e';
import type { ColdMetric } from './options';
import { fmt, formatTable } from './format';
import { bootstrapOverBaselineRatio, median, ratio, summarize } from './stats';
import { HANDLERS } from './variants';

export const EMPTY = 'empty node';

export interface BenchResults {
  readonly bundles?: Readonly<Record<string, Bundle>>;
  readonly cold?: Readonly<Record<string, readonly ColdSample[]>>;
  /** Instructions per cold start (valgrind), with --cold-metric instructions. */
  readonly instructions?: Readonly<Record<string, readonly number[]>>;
  readonly warm?: {
    readonly wall: Readonly<Record<string, readonly number[]>>;
    readonly cpu: Readonly<Record<string, readonly number[]>>;
  };
  readonly e2e?: EndToEndResult;
}

const twinOf = (name: string) => `${name}.twin`;
const walls = (samples: readonly ColdSample[]) => samples.map((s) => s.wallMs);
const cpus = (samples: readonly ColdSample[]) => samples.map((s) => s.cpuMs);

export function handlerFigures(results: BenchResults, coldMetric: ColdMetric = 'wall'): HandlerFigures[] {
  const instructions = results.instructions;
  const metric = (name: string): readonly number[] | undefined =>
    coldMetric === 'instructions'
      ? instructions?.[name]
      : results.cold?.[name] && (coldMetric === 'cpu' ? cpus : walls)(results.cold[name]);
  return HANDLERS.map((handler) => {
    const b = results.bundles;
    const w = results.warm?.wall;
    const empty = metric(EMPTY);
    const own = metric(handler);
    const twin = metric(twinOf(handler));
    return {
      handler,
      ...(b?.[handler] &&
        b[twinOf(handler)] && { bundle: { bytes: b[handler].bytes, twinBytes: b[twinOf(handler)]!.bytes } }),
      ...(empty &&
        own &&
        twin && {
          cold: {
            metric: coldMetric,
            overEmptyMs: median(own) - median(empty),
            twinOverEmptyMs: median(twin) - median(empty),
          },
        }),
      ...(w?.[handler] &&
        w[twinOf(handler)] && { warm: { micros: median(w[handler]), twinMicros: median(w[twinOf(handler)]!) } }),
    };
  });
}

function names(): string[] {
  return HANDLERS.flatMap((h) => [h, twinOf(h)]);
}

export function bundleTable(bundles: Readonly<Record<string, Bundle>>): string {
  const rows = names()
    .filter((n) => bundles[n])
    .map((n) => {
      const b = bundles[n]!;
      const twin = n.endsWith('.twin') ? undefined : bundles[twinOf(n)];
      return [
        n,
        fmt.bytes(b.bytes),
        fmt.bytes(b.gzipBytes),
        fmt.bytes(b.mapBytes),
        twin ? fmt.ratio(ratio(b.bytes, twin.bytes)) : '',
        twin ? fmt.ratio(ratio(b.gzipBytes, twin.gzipBytes)) : '',
      ];
    });
  return formatTable(['bundle (as deployed)', 'bytes', 'gzip', 'source map', '× twin', 'gzip × twin'], rows);
}

export function contributorsText(bundles: Readonly<Record<string, Bundle>>, top: number): string {
  return names()
    .filter((n) => bundles[n] && !n.endsWith('.twin'))
    .map((n) => {
      const b = bundles[n]!;
      const twinNames = new Set((bundles[twinOf(n)]?.contributors ?? []).map((c) => c.name));
      const lines = b.contributors
        .slice(0, top)
        .map((c) => `    ${fmt.kb(c.bytes).padStart(9)}  ${c.name}${twinNames.has(c.name) ? '' : '   (not in twin)'}`);
      return `  ${n} (metafile: ${b.metafile}):\n${lines.join('\n')}`;
    })
    .join('\n');
}

export function coldTable(cold: Readonly<Record<string, readonly ColdSample[]>>): string {
  const empty = cold[EMPTY] ?? [];
  const emptyWall = median(walls(empty));
  const emptyCpu = median(cpus(empty));
  const e = summarize(walls(empty));
  const rows = [
    [EMPTY, fmt.ms(emptyWall), `${fmt.ms(e.p25)}–${fmt.ms(e.p75)}`, '', '', '', fmt.ms(emptyCpu), '', '', ''],
  ];
  for (const n of names().filter((x) => cold[x])) {
    const s = cold[n]!;
    const w = summarize(walls(s));
    const twin = n.endsWith('.twin') ? undefined : cold[twinOf(n)];
    const interval = twin ? bootstrapOverBaselineRatio(walls(s), walls(twin), walls(empty)) : undefined;
    const cpu = median(cpus(s));
    rows.push([
      n,
      fmt.ms(w.median),
      `${fmt.ms(w.p25)}–${fmt.ms(w.p75)}`,
      fmt.signed(w.median - emptyWall),
      twin ? fmt.ratio(ratio(w.median - emptyWall, median(walls(twin)) - emptyWall)) : '',
      interval ? `${interval.low.toFixed(2)}–${interval.high.toFixed(2)}` : '',
      fmt.signed(cpu - emptyCpu),
      twin ? fmt.ratio(ratio(cpu - emptyCpu, median(cpus(twin)) - emptyCpu)) : '',
      fmt.ms(median(s.map((x) => x.loadMs))),
      fmt.ms(median(s.map((x) => x.invokeMs))),
    ]);
  }
  return formatTable(
    [
      'cold start (ms, medians)',
      'wall',
      'wall p25–p75',
      'over empty',
      '× twin',
      '90% interval',
      'CPU over empty',
      'CPU × twin',
      'load',
      '1st call',
    ],
    rows,
  );
}

export function instructionsTable(instructions: Readonly<Record<string, readonly number[]>>): string {
  const empty = median(instructions[EMPTY] ?? []);
  const rows = [[EMPTY, (empty / 1e6).toFixed(1), '', '', '']];
  for (const n of names().filter((x) => instructions[x])) {
    const s = instructions[n]!;
    const twin = n.endsWith('.twin') ? undefined : instructions[twinOf(n)];
    rows.push([
      n,
      (median(s) / 1e6).toFixed(1),
      `${(Math.min(...s) / 1e6).toFixed(1)}–${(Math.max(...s) / 1e6).toFixed(1)}`,
      fmt.signed((median(s) - empty) / 1e6),
      twin ? fmt.ratio(ratio(median(s) - empty, median(twin) - empty)) : '',
    ]);
  }
  return formatTable(['cold start (M instructions, valgrind)', 'median', 'min–max', 'over empty', '× twin'], rows);
}

export function warmTable(warm: NonNullable<BenchResults['warm']>): string {
  const rows = names()
    .filter((n) => warm.wall[n])
    .map((n) => {
      const s = summarize(warm.wall[n]!);
      const cpu = median(warm.cpu[n] ?? [Number.NaN]);
      const twin = n.endsWith('.twin') ? undefined : twinOf(n);
      const twinWall = twin && warm.wall[twin] ? median(warm.wall[twin]) : undefined;
      const twinCpu = twin && warm.cpu[twin] ? median(warm.cpu[twin]) : undefined;
      return [
        n,
        fmt.us(s.median),
        `${fmt.us(s.p25)}–${fmt.us(s.p75)}`,
        twinWall !== undefined ? fmt.signed(s.median - twinWall) : '',
        twinWall !== undefined ? fmt.ratio(ratio(s.median, twinWall)) : '',
        fmt.us(cpu),
        twinCpu !== undefined ? fmt.signed(cpu - twinCpu) : '',
      ];
    });
  return formatTable(
    ['warm (µs per invocation, medians of batches)', 'wall', 'wall p25–p75', '− twin', '× twin', 'CPU', 'CPU − twin'],
    rows,
  );
}

export function e2eTable(e2e: EndToEndResult): string {
  const h = e2e.handlers;
  const t = e2e.twins;
  const row = (name: string, s: FlowStats, twin?: FlowStats) => [
    name,
    fmt.ms(s.p50Ms),
    fmt.ms(s.p99Ms),
    s.flowsPerSecond.toFixed(0),
    s.pollsPerFlow.toFixed(2),
    `${s.cpuMsPerFlow.servers.toFixed(2)} (${(s.handlerShare * 100).toFixed(0)} %) · ${s.cpuMsPerFlow.client.toFixed(2)}`,
    twin
      ? `${fmt.ratio(ratio(s.p50Ms, twin.p50Ms))} / ${fmt.ratio(ratio(s.p99Ms, twin.p99Ms))} / ${fmt.ratio(ratio(s.flowsPerSecond, twin.flowsPerSecond))}`
      : '',
  ];
  const table = formatTable(
    [
      `local e2e (${h.flows} flows, concurrency ${h.concurrency})`,
      'p50 ms',
      'p99 ms',
      'flows/s',
      'polls/flow',
      "CPU ms/flow: servers (handlers' share) · client",
      '× twin (p50 / p99 / flows/s)',
    ],
    [row('handlers (local API)', h, t), row('twins (twin local API)', t)],
  );
  const w = e2e.warmup;
  if (w.flows === 0) return table;
  return `${table}\n${w.flows} warm-up flows per API ran first, not counted (${w.flowsPerSecond.handlers.toFixed(0)} and ${w.flowsPerSecond.twins.toFixed(0)} flows/s).`;
}
