/**
 * The construct's metric*() methods name exactly what the handlers emit: each metric is emitted through the handlers'
 * own telemetry (Powertools Metrics, EMF) with the environment the construct writes, and the construct's Metric must
 * match that line's namespace, metric name and one of its dimension sets with the same values.
 */
import { App, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { TELEMETRY_ENVIRONMENT } from '../../contract/handler-environment';
import { FaceLivenessBackend, LivenessMonitoring } from '../../lib';
import { captureOutput } from '../support/capture-output';

type Observability = typeof import('../../lambda/shared/observability');

interface EmfLine {
  readonly _aws: {
    readonly CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
  };
  readonly [key: string]: unknown;
}

/** The EMF lines the handlers' telemetry writes for `emit`, with the construct's telemetry environment. */
function emitted(emit: (o: Observability) => void): EmfLine[] {
  const saved = { ...process.env };
  Object.assign(process.env, TELEMETRY_ENVIRONMENT);
  const output = captureOutput();
  try {
    jest.isolateModules(() => {
      const o = require('../../lambda/shared/observability') as Observability;
      emit(o);
      o.metrics.publishStoredMetrics();
    });
    return output.records().filter((r) => '_aws' in r) as unknown as EmfLine[];
  } finally {
    output.restore();
    process.env = saved;
  }
}

/** True when one EMF line carries `metric`: same namespace and name, and a dimension set of the same names and values. */
function carries(lines: readonly EmfLine[], metric: cloudwatch.Metric): boolean {
  const dimensions = metric.dimensions ?? {};
  const names = Object.keys(dimensions).sort();
  return lines.some((line) =>
    line._aws.CloudWatchMetrics.some(
      (d) =>
        d.Namespace === metric.namespace &&
        d.Metrics.some((m) => m.Name === metric.metricName) &&
        d.Dimensions.some((set) => JSON.stringify([...set].sort()) === JSON.stringify(names)) &&
        names.every((n) => line[n] === dimensions[n]),
    ),
  );
}

const backend = new FaceLivenessBackend(new Stack(new App(), 'Consumer', { env: { region: 'us-east-1' } }), 'Liveness');

describe('metric methods of the construct', () => {
  test('the public monitoring member is the exported LivenessMonitoring', () => {
    expect(backend.monitoring).toBeInstanceOf(LivenessMonitoring);
  });

  test('metricVerdicts({ outcome: live }) is what a live verdict emits', () => {
    const lines = emitted((o) => o.telemetry.resultRead('SUCCEEDED', { isLive: true, recorded: true }));
    expect(carries(lines, backend.metricVerdicts({ outcome: 'live' }))).toBe(true);
    expect(carries(lines, backend.metricVerdicts({ outcome: 'notLive' }))).toBe(false);
  });

  test('metricVerdicts({ outcome: notLive }) and by reason are what a not-live verdict emits', () => {
    const lines = emitted((o) =>
      o.telemetry.resultRead('SUCCEEDED', { isLive: false, reason: 'LOW_CONFIDENCE', recorded: true }),
    );
    expect(carries(lines, backend.metricVerdicts({ outcome: 'notLive' }))).toBe(true);
    expect(carries(lines, backend.metricVerdicts({ outcome: 'notLive', reason: 'LOW_CONFIDENCE' }))).toBe(true);
    expect(carries(lines, backend.metricVerdicts({ outcome: 'notLive', reason: 'SESSION_EXPIRED' }))).toBe(false);
  });

  test('metricLockoutsStarted() is what a started lockout emits', () => {
    const lines = emitted((o) => o.telemetry.lockoutStarted(1800));
    expect(carries(lines, backend.metricLockoutsStarted())).toBe(true);
  });

  test('metricSessionsCreated() is what a created session emits', () => {
    const lines = emitted((o) => o.telemetry.sessionCreated());
    expect(carries(lines, backend.metricSessionsCreated())).toBe(true);
  });

  test('metricErrors() and metricErrors({ code }) are what an API error emits', () => {
    const lines = emitted((o) => o.countError('THROTTLED'));
    expect(carries(lines, backend.metricErrors())).toBe(true);
    expect(carries(lines, backend.metricErrors({ code: 'THROTTLED' }))).toBe(true);
    expect(carries(lines, backend.metricErrors({ code: 'NOT_FOUND' }))).toBe(false);
  });

  test('options pass through like aws-cdk-lib L2 metrics (statistic, period)', () => {
    const m = backend.metricLockoutsStarted({ statistic: 'Maximum' });
    expect(m.statistic).toBe('Maximum');
    expect(m.period.toMinutes()).toBe(5);
  });
});
