/**
 * Logger, metrics and the narrow telemetry interface the cores report through. The interface takes statuses,
 * verdicts and reasons only, so a core cannot log a confidence score, an image or a bounding box by mistake.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { NotLiveReason } from '../../common/api-types';
import type { ErrorCode } from '../../common/error-codes';
import type { SessionStatus } from '../../common/limits';

// Powertools' own variables win when the construct sets them; the fallbacks keep local runs tidy (a missing
// namespace makes Powertools warn on every flush).
const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'face-liveness';
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'FaceLiveness' });

export const METRIC_NAMES = {
  sessionCreated: 'SessionCreated',
  resultPending: 'ResultPending',
  verdictLive: 'VerdictLive',
  verdictNotLive: 'VerdictNotLive',
  error: 'Error',
} as const;

export interface Telemetry {
  /** Tags every later log line of this request with the session id. */
  session(sessionId: string): void;
  sessionCreated(): void;
  resultRead(status: SessionStatus, verdict?: { readonly isLive: boolean; readonly reason?: NotLiveReason }): void;
  /** Something the operator should look at; attributes are plain strings by design. */
  warn(message: string, attributes?: Readonly<Record<string, string>>): void;
}

export const telemetry: Telemetry = {
  session(sessionId) {
    logger.appendKeys({ sessionId });
  },
  sessionCreated() {
    metrics.addMetric(METRIC_NAMES.sessionCreated, MetricUnit.Count, 1);
    logger.info('Session created');
  },
  resultRead(status, verdict) {
    if (verdict === undefined) {
      metrics.addMetric(METRIC_NAMES.resultPending, MetricUnit.Count, 1);
      logger.info('Result pending', { status });
      return;
    }
    if (verdict.reason !== undefined) metrics.addDimension('reason', verdict.reason);
    metrics.addMetric(verdict.isLive ? METRIC_NAMES.verdictLive : METRIC_NAMES.verdictNotLive, MetricUnit.Count, 1);
    logger.info('Result read', { status, isLive: verdict.isLive, ...(verdict.reason !== undefined && { reason: verdict.reason }) });
  },
  warn(message, attributes) {
    logger.warn(message, { ...attributes });
  },
};

export function countError(code: ErrorCode): void {
  // The only metric of a failed request, so this dimension cannot split any other metric.
  metrics.addDimension('errorCode', code);
  metrics.addMetric(METRIC_NAMES.error, MetricUnit.Count, 1);
}
