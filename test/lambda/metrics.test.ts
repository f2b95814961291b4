import { HANDLER_ENV } from '../../contract/handler-environment';
import { Metrics, MetricUnit, logMetrics } from '../../lambda/shared/metrics';

function capture(): { lines: () => Record<string, any>[]; write: (line: string) => void } {
  const out: string[] = [];
  return { lines: () => out.map((l) => JSON.parse(l)), write: (line) => out.push(line) };
}

describe('EMF metrics', () => {
  const env = process.env[HANDLER_ENV.METRICS_DISABLED];
  beforeEach(() => {
    delete process.env[HANDLER_ENV.METRICS_DISABLED];
  });
  afterAll(() => {
    if (env !== undefined) process.env[HANDLER_ENV.METRICS_DISABLED] = env;
  });

  it('writes one Embedded Metric Format line per flush, with the service dimension and the added ones', () => {
    // GIVEN
    const out = capture();
    const metrics = new Metrics({ serviceName: 'svc', namespace: 'Ns', write: out.write, now: () => 1234 });
    // WHEN
    metrics.addDimension('reason', 'LOW_CONFIDENCE');
    metrics.addMetric('VerdictNotLive', MetricUnit.Count, 1);
    metrics.addMetric('VerdictNotLive', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    // THEN
    expect(out.lines()).toEqual([
      {
        _aws: {
          Timestamp: 1234,
          CloudWatchMetrics: [
            {
              Namespace: 'Ns',
              Dimensions: [['service', 'reason']],
              Metrics: [{ Name: 'VerdictNotLive', Unit: 'Count' }],
            },
          ],
        },
        service: 'svc',
        reason: 'LOW_CONFIDENCE',
        VerdictNotLive: [1, 1],
      },
    ]);
  });

  it('clears metrics and dimensions after a flush, and writes nothing when there is nothing to write', () => {
    const out = capture();
    const metrics = new Metrics({ serviceName: 'svc', namespace: 'Ns', write: out.write });
    metrics.addDimension('errorCode', 'THROTTLED');
    metrics.addMetric('Error', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    metrics.publishStoredMetrics();
    metrics.addMetric('SessionCreated', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    const lines = out.lines();
    expect(lines).toHaveLength(2);
    expect(lines[1]!.errorCode).toBeUndefined();
    expect(lines[1]!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    expect(lines[1]!.SessionCreated).toBe(1);
  });

  it('emits ColdStart once, on its own line with the function name', async () => {
    const out = capture();
    const metrics = new Metrics({ serviceName: 'svc', namespace: 'Ns', write: out.write });
    const middleware = logMetrics(metrics, { captureColdStartMetric: true });
    middleware.before({ context: { functionName: 'fn' } });
    metrics.addMetric('SessionCreated', MetricUnit.Count, 1);
    middleware.after();
    middleware.before({ context: { functionName: 'fn' } });
    middleware.onError();
    const lines = out.lines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ ColdStart: 1, function_name: 'fn', service: 'svc' });
    expect(lines[0]!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'function_name']]);
    expect(lines[1]).toMatchObject({ SessionCreated: 1 });
  });

  it('with serviceRollup, also publishes each metric under the service dimension alone (what the alarms sum over)', () => {
    // GIVEN
    const out = capture();
    const metrics = new Metrics({ serviceName: 'svc', namespace: 'Ns', write: out.write, serviceRollup: true });
    // WHEN
    metrics.addDimension('reason', 'LOW_CONFIDENCE');
    metrics.addMetric('VerdictNotLive', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    metrics.addMetric('SessionCreated', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    // THEN
    const [notLive, created] = out.lines();
    expect(notLive!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'reason'], ['service']]);
    // Without added dimensions the one set is already the rollup: no duplicate set.
    expect(created!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
  });

  it('honours METRICS_DISABLED', () => {
    process.env[HANDLER_ENV.METRICS_DISABLED] = 'true';
    const out = capture();
    const metrics = new Metrics({ serviceName: 'svc', namespace: 'Ns', write: out.write });
    metrics.addMetric('SessionCreated', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    expect(out.lines()).toHaveLength(0);
  });
});
