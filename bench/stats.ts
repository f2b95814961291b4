/**
 * The statistics the benchmark reports. Pure functions, so test/bench can pin them down. The machine is shared and
 * noisy: every figure is a median, and every comparison is a ratio (or a difference) to a twin measured in the same run.
 */

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no samples');
  if (values.some((v) => !Number.isFinite(v))) throw new Error('samples must be finite numbers');
  return [...values].sort((a, b) => a - b);
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Nearest-rank percentile (p in 0..100): the smallest sample with at least p% of the samples at or below it. No
 * interpolation, so a p99 of 200 latencies is an observed latency (the 198th), not a blend of two.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be from 0 to 100 (got ${p})`);
  const s = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1]!;
}

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary {
  const s = sorted(values);
  return {
    n: s.length,
    median: median(s),
    p25: percentile(s, 25),
    p75: percentile(s, 75),
    min: s[0]!,
    max: s[s.length - 1]!,
  };
}

/** a / b, or undefined when b is not a positive number (a ratio to nothing means nothing). */
export function ratio(a: number, b: number): number | undefined {
  return b > 0 && Number.isFinite(a) && Number.isFinite(b) ? a / b : undefined;
}

/** A small seeded generator (mulberry32), so a report's intervals are reproducible from its samples. */
export function seededRandom(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function resample(values: readonly number[], random: () => number): number[] {
  return values.map(() => values[Math.floor(random() * values.length)]!);
}

/**
 * Cold-start ratio: (median(handler) − median(empty)) / (median(twin) − median(empty)), all three from the same run.
 */
export function overBaselineRatio(
  handler: readonly number[],
  twin: readonly number[],
  empty: readonly number[],
): number | undefined {
  const base = median(empty);
  return ratio(median(handler) - base, median(twin) - base);
}

/**
 * A percentile-bootstrap interval of that ratio (resampling each of the three sample sets). It says how far the noise
 * of this run alone could move the ratio; it does not make a noisy machine quiet.
 */
export function bootstrapOverBaselineRatio(
  handler: readonly number[],
  twin: readonly number[],
  empty: readonly number[],
  { resamples = 2000, confidence = 0.9, seed = 1 }: { resamples?: number; confidence?: number; seed?: number } = {},
): { low: number; high: number } | undefined {
  const random = seededRandom(seed);
  const ratios: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const r = overBaselineRatio(resample(handler, random), resample(twin, random), resample(empty, random));
    if (r !== undefined) ratios.push(r);
  }
  // Too many resamples with a twin at or below the empty start: the interval would be meaningless.
  if (ratios.length < resamples * 0.9) return undefined;
  const tail = ((1 - confidence) / 2) * 100;
  return { low: percentile(ratios, tail), high: percentile(ratios, 100 - tail) };
}
