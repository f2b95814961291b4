/** `npm run bench -- ...` options: the defaults the issue asks for, and refusals instead of silent clamping. */
import { PARTS, parseOptions } from '../../bench/options';

it('runs every part with at least 20 cold starts and 1,000 flows (steady state, not start-up) at concurrency 10 by default', () => {
  // Act
  const options = parseOptions([], { valgrind: false });

  // Assess
  expect(options).toMatchObject({
    check: false,
    quick: false,
    parts: [...PARTS],
    e2eFlows: 1000,
    e2eWarmup: 1000,
    e2eConcurrency: 10,
    coldMetric: 'wall',
  });
  expect(options.coldSamples).toBeGreaterThanOrEqual(20);
});

it('checks the cold budget on instruction counts where valgrind is installed, except with --quick', () => {
  expect(parseOptions([], { valgrind: true }).coldMetric).toBe('instructions');
  expect(parseOptions(['--quick'], { valgrind: true }).coldMetric).toBe('wall');
  expect(parseOptions(['--cold-metric', 'cpu'], { valgrind: true }).coldMetric).toBe('cpu');
});

it('--quick lowers the sample counts; explicit counts still win, in either spelling', () => {
  // Act
  const options = parseOptions(['--quick', '--cold-samples=5', '--e2e-flows', '12']);

  // Assess
  expect(options.quick).toBe(true);
  expect(options.coldSamples).toBe(5);
  expect(options.e2eFlows).toBe(12);
  expect(options.warmIterations).toBeLessThan(parseOptions([]).warmIterations);
  expect(options.e2eWarmup).toBeLessThan(parseOptions([]).e2eWarmup);
  expect(parseOptions(['--e2e-warmup', '0']).e2eWarmup).toBe(0);
});

it('--only keeps the canonical order and refuses unknown parts', () => {
  expect(parseOptions(['--only', 'e2e,bundle']).parts).toEqual(['bundle', 'e2e']);
  expect(() => parseOptions(['--only', 'bundle,disk'])).toThrow(/--only/);
});

it('--check and --cold-metric', () => {
  expect(parseOptions(['--check', '--cold-metric', 'instructions'])).toMatchObject({
    check: true,
    coldMetric: 'instructions',
  });
  expect(() => parseOptions(['--cold-metric', 'cycles'])).toThrow(/--cold-metric/);
});

it('refuses counts out of bounds, non-integers, missing values and unknown options', () => {
  expect(() => parseOptions(['--cold-samples', '2'])).toThrow(/from 3 to 500/);
  expect(() => parseOptions(['--e2e-concurrency', '2.5'])).toThrow(/integer/);
  expect(() => parseOptions(['--out'])).toThrow(/needs a value/);
  expect(() => parseOptions(['--fast'])).toThrow(/unknown option/);
});
