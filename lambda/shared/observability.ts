/**
 * Logger, metrics and the narrow telemetry interface the cores report through. The interface takes statuses,
 * verdicts and reasons only, so a core cannot log a confidence score, an image or a bounding box by mistake.
 */
import { HANDLER_ENV, TELEMETRY_ENVIRONMENT } from '../../contract/handler-environment';
import { Logger } from './logger';
import { Metrics, MetricUnit } from './metrics';
import type { NotLiveReason } from '../../contract/api-types';
import type { ErrorCode } from '../../contract/error-codes';
import type { FeedbackCode, SessionStatus } from '../../contract/liveness-model';

// The construct sets both; the fallbacks (the construct's values) keep local runs and tests tidy.
const serviceName = process.env[HANDLER_ENV.SERVICE_NAME] || TELEMETRY_ENVIRONMENT.SERVICE_NAME;
export const logger = new Logger({ serviceName });
// The rollup gives the alarms their totals (every not-live verdict, every lockout, every error) across reasons and codes.
export const metrics = new Metrics({
  serviceName,
  namespace: process.env[HANDLER_ENV.METRICS_NAMESPACE] || TELEMETRY_ENVIRONMENT.METRICS_NAMESPACE,
  serviceRollup: true,
});

export const METRIC_NAMES = {
  sessionCreated: 'SessionCreated',
  resultPending: 'ResultPending',
  verdictLive: 'VerdictLive',
  verdictNotLive: 'VerdictNotLive',
  /** A finished session read again: its verdict comes from the table. */
  verdictReread: 'VerdictReread',
  lockoutStarted: 'LockoutStarted',
  error: 'Error',
} as const;

/**
 * One counter per Rekognition feedback code (e.g. `Feedback.LOW_LIGHTING_DETECTED`), counted with the verdict. A metric
 * name rather than a dimension: a flush has one dimension set, and a not-live verdict already carries its reason.
 */
export function feedbackMetricName(code: FeedbackCode): string {
  return `Feedback.${code}`;
}

export interface Telemetry {
  /** Tags every later log line of this request with the session id. */
  session(sessionId: string): void;
  /** Tags every later log line with a hash of the owner: correlates abuse without logging an identity or an IP. */
  owner(ownerRef: string): void;
  sessionCreated(): void;
  /** `recorded`: this read recorded the verdict (counted in the verdict metrics once per session). */
  resultRead(
    status: SessionStatus,
    verdict?: {
      readonly isLive: boolean;
      readonly reason?: NotLiveReason;
      readonly recorded: boolean;
      readonly feedback?: readonly FeedbackCode[];
    },
  ): void;
  lockoutStarted(lockedForSeconds: number): void;
  /** Something the operator should look at; attributes are plain strings by design. */
  warn(message: string, attributes?: Readonly<Record<string, string>>): void;
}

export const telemetry: Telemetry = {
  session(sessionId) {
    logger.appendKeys({ sessionId });
  },
  owner(ownerRef) {
    logger.appendKeys({ ownerRef });
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
    if (verdict.recorded) {
      if (verdict.reason !== undefined) metrics.addDimension('reason', verdict.reason);
      metrics.addMetric(verdict.isLive ? METRIC_NAMES.verdictLive : METRIC_NAMES.verdictNotLive, MetricUnit.Count, 1);
      for (const code of verdict.feedback ?? []) metrics.addMetric(feedbackMetricName(code), MetricUnit.Count, 1);
    } else {
      metrics.addMetric(METRIC_NAMES.verdictReread, MetricUnit.Count, 1);
    }
    logger.info('Result read', {
      status,
      isLive: verdict.isLive,
      recorded: verdict.recorded,
      ...(verdict.reason !== undefined && { reason: verdict.reason }),
    });
  },
  lockoutStarted(lockedForSeconds) {
    metrics.addMetric(METRIC_NAMES.lockoutStarted, MetricUnit.Count, 1);
    logger.warn('Owner locked out after repeated failed checks', { lockedForSeconds });
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
