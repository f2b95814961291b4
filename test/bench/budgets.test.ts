/** The budget check behind `npm run bench -- --check`: which budget, missed by how much. */
import { BUDGETS, checkBudgets } from '../../bench/budgets';

describe('the bundle budget', () => {
  it('passes at exactly the limit', () => {
    // Act
    const [v] = checkBudgets([{ handler: 'h', bundle: { bytes: 130, twinBytes: 100 } }]);

    // Assess
    expect(v).toMatchObject({ budget: 'bundle', ok: true });
    expect(v!.actual).toBeCloseTo(BUDGETS.bundleRatio, 10);
  });

  it('fails above it and says by how much', () => {
    // Act
    const [v] = checkBudgets([{ handler: 'create-session', bundle: { bytes: 131_600, twinBytes: 100_000 } }]);

    // Assess
    expect(v!.ok).toBe(false);
    expect(v!.message).toMatch(/^MISS {2}create-session bundle: .*1\.316× > 1\.300× \(1\.2% over\)$/);
  });
});

describe('the cold budget', () => {
  it('compares what each adds over empty Node', () => {
    // Act
    const [v] = checkBudgets([{ handler: 'h', cold: { overEmptyMs: 115, twinOverEmptyMs: 100 } }]);

    // Assess
    expect(v).toMatchObject({ budget: 'cold', ok: true, limit: 1.2 });
    expect(v!.actual).toBeCloseTo(1.15, 10);
  });

  it('cannot pass when the twin does not start slower than empty Node', () => {
    // Act
    const [v] = checkBudgets([{ handler: 'h', cold: { overEmptyMs: 5, twinOverEmptyMs: 0 } }]);

    // Assess
    expect(v!.ok).toBe(false);
  });

  it('names the time it was checked on', () => {
    const [v] = checkBudgets([{ handler: 'h', cold: { metric: 'cpu', overEmptyMs: 130, twinOverEmptyMs: 100 } }]);
    expect(v!.message).toMatch(/\(cpu time\) 1\.300× > 1\.200× \(8\.3% over\)/);
  });
});

describe('the warm budget', () => {
  it('allows the twin plus 200 µs', () => {
    const [v] = checkBudgets([{ handler: 'h', warm: { micros: 210, twinMicros: 10 } }]);
    expect(v).toMatchObject({ budget: 'warm', ok: true, actual: 200, unit: 'µs' });
  });

  it('fails beyond and says by how many microseconds', () => {
    const [v] = checkBudgets([{ handler: 'get-result', warm: { micros: 242.5, twinMicros: 10 } }]);
    expect(v!.message).toBe('MISS  get-result warm: warm µs/invocation − twin 232.5 µs > 200.0 µs (32.5 µs over)');
  });
});

it('checks only the budgets that were measured', () => {
  expect(checkBudgets([{ handler: 'h' }])).toEqual([]);
});
