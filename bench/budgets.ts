/**
 * The performance budgets, each relative to the handler's bare twin measured in the same run, and the check behind
 * `npm run bench -- --check`. Pure: the figures come in, the verdicts go out.
 *
 * They leave room for the field's libraries (middy, Powertools Logger and Metrics) and catch what a user would feel:
 * a bundle or a cold start grown by a third, or real work added to every request.
 */

export const BUDGETS = {
  /** Minified bundle bytes may be at most this multiple of the twin's. */
  bundleRatio: 1.3,
  /** Cold load (process start to first response, minus an empty Node start) may be at most this multiple of the twin's. */
  coldRatio: 1.2,
  /**
   * Warm time per invocation may exceed the twin's by at most this many microseconds: 1 % of a conservative 20 ms of
   * AWS waiting per request. A tighter absolute figure would miss on slower machines, where the twin itself runs 4–5×
   * slower.
   */
  warmExtraMicros: 200,
} as const;

export interface HandlerFigures {
  readonly handler: string;
  readonly bundle?: { readonly bytes: number; readonly twinBytes: number };
  /** What each adds over the empty Node start (ms of wall or CPU time, or instructions), medians of the same run. */
  readonly cold?: {
    readonly metric?: 'wall' | 'cpu' | 'instructions';
    readonly overEmptyMs: number;
    readonly twinOverEmptyMs: number;
  };
  /** Microseconds per invocation, medians of batches. */
  readonly warm?: { readonly micros: number; readonly twinMicros: number };
}

export interface BudgetVerdict {
  readonly handler: string;
  readonly budget: 'bundle' | 'cold' | 'warm';
  readonly ok: boolean;
  /** What was measured, in the budget's own terms (a ratio, or microseconds over the twin). */
  readonly actual: number;
  readonly limit: number;
  readonly unit: '×' | 'µs';
  /** One line for the console: what, how much, and by how much it missed. */
  readonly message: string;
}

function verdict(
  handler: string,
  budget: BudgetVerdict['budget'],
  actual: number,
  limit: number,
  unit: BudgetVerdict['unit'],
  what: string,
): BudgetVerdict {
  const ok = actual <= limit;
  const shown = (v: number) => (unit === '×' ? `${v.toFixed(3)}×` : `${v.toFixed(1)} µs`);
  const excess =
    unit === '×' ? `${((actual / limit - 1) * 100).toFixed(1)}% over` : `${(actual - limit).toFixed(1)} µs over`;
  const message = ok
    ? `ok    ${handler} ${budget}: ${what} ${shown(actual)} ≤ ${shown(limit)}`
    : `MISS  ${handler} ${budget}: ${what} ${shown(actual)} > ${shown(limit)} (${excess})`;
  return { handler, budget, ok, actual, limit, unit, message };
}

/**
 * One verdict per budget that has figures. A cold twin that does not start slower than an empty Node cannot anchor a
 * ratio: that is reported as a miss, since the run cannot show the budget holds.
 */
export function checkBudgets(figures: readonly HandlerFigures[], budgets: typeof BUDGETS = BUDGETS): BudgetVerdict[] {
  const verdicts: BudgetVerdict[] = [];
  for (const f of figures) {
    if (f.bundle) {
      verdicts.push(
        verdict(
          f.handler,
          'bundle',
          f.bundle.bytes / f.bundle.twinBytes,
          budgets.bundleRatio,
          '×',
          'bundle bytes / twin',
        ),
      );
    }
    if (f.cold) {
      const actual =
        f.cold.twinOverEmptyMs > 0 ? f.cold.overEmptyMs / f.cold.twinOverEmptyMs : Number.POSITIVE_INFINITY;
      verdicts.push(
        verdict(
          f.handler,
          'cold',
          actual,
          budgets.coldRatio,
          '×',
          `cold load over empty Node / twin (${f.cold.metric === 'instructions' ? 'instructions' : `${f.cold.metric ?? 'wall'} time`})`,
        ),
      );
    }
    if (f.warm) {
      verdicts.push(
        verdict(
          f.handler,
          'warm',
          f.warm.micros - f.warm.twinMicros,
          budgets.warmExtraMicros,
          'µs',
          'warm µs/invocation − twin',
        ),
      );
    }
  }
  return verdicts;
}
