/** The benchmark's statistics: every reported figure goes through these. */
import { bootstrapOverBaselineRatio, median, overBaselineRatio, percentile, ratio, summarize } from '../../bench/stats';

describe('median', () => {
  it('takes the middle sample of an odd count, in any order', () => {
    expect(median([5, 1, 3])).toBe(3);
  });

  it('averages the two middle samples of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('refuses no samples and non-finite samples', () => {
    expect(() => median([])).toThrow(/no samples/);
    expect(() => median([1, Number.NaN])).toThrow(/finite/);
  });
});

describe('percentile', () => {
  it('is nearest-rank: p99 of 200 samples is the 198th smallest, an observed value', () => {
    // Prepare
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i);

    // Act
    const p99 = percentile(samples, 99);

    // Assess
    expect(p99).toBe(198);
  });

  it('gives the minimum at p0 and the maximum at p100', () => {
    expect(percentile([3, 9, 1], 0)).toBe(1);
    expect(percentile([3, 9, 1], 100)).toBe(9);
  });

  it('refuses a percentile outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(/0 to 100/);
  });
});

it('summarizes with quartiles, extremes and count', () => {
  expect(summarize([1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ n: 8, median: 4.5, p25: 2, p75: 6, min: 1, max: 8 });
});

describe('ratio', () => {
  it('divides', () => {
    expect(ratio(3, 2)).toBe(1.5);
  });

  it('is undefined against zero or a negative base', () => {
    expect(ratio(3, 0)).toBeUndefined();
    expect(ratio(3, -1)).toBeUndefined();
  });
});

describe('overBaselineRatio', () => {
  it('compares what each variant adds to the empty start', () => {
    // Prepare: empty 100 ms, handler 210 ms, twin 200 ms → 110 / 100
    const empty = [99, 100, 101];
    const handler = [209, 210, 211];
    const twin = [199, 200, 201];

    // Act
    const r = overBaselineRatio(handler, twin, empty);

    // Assess
    expect(r).toBeCloseTo(1.1, 10);
  });

  it('is undefined when the twin starts no slower than empty Node', () => {
    expect(overBaselineRatio([120], [100], [100])).toBeUndefined();
  });
});

describe('bootstrapOverBaselineRatio', () => {
  const empty = [98, 100, 103, 99, 101, 102, 97, 100];
  const handler = [205, 212, 209, 215, 208, 211, 206, 210];
  const twin = [198, 201, 203, 199, 200, 202, 197, 204];

  it('brackets the point estimate', () => {
    // Act
    const interval = bootstrapOverBaselineRatio(handler, twin, empty, { resamples: 500 })!;

    // Assess
    const point = overBaselineRatio(handler, twin, empty)!;
    expect(interval.low).toBeLessThanOrEqual(point);
    expect(interval.high).toBeGreaterThanOrEqual(point);
  });

  it('is reproducible for a seed', () => {
    expect(bootstrapOverBaselineRatio(handler, twin, empty, { resamples: 300, seed: 7 })).toEqual(
      bootstrapOverBaselineRatio(handler, twin, empty, { resamples: 300, seed: 7 }),
    );
  });
});
