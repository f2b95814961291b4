/**
 * Powertools Logger and Metrics, and the narrow telemetry interface the cores report through. The interface takes
 * statuses, verdicts and reasons only, so a core cannot log a confidence score, an image or a bounding box by mistake.
 *
 * Both read Powertools' own variables, which the construct sets (contract/handler-environment.ts):
 * POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL; and the rest as Powertools documents
 * them (POWERTOOLS_LOGGER_SAMPLE_RATE, POWERTOOLS_METRICS_DISABLED, POWERTOOLS_DEV, Lambda's AWS_LAMBDA_LOG_LEVEL).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { NotLiveReason } from '../../contract/api-types';
import type { ErrorCode } from '../../contract/error-codes';
import { HANDLER_ENV, TELEMETRY_ENVIRONMENT } from '../../contract/handler-environment';
import type { FeedbackCode, SessionStatus } from '../../contract/liveness-model';
import { feedbackMetricName, METRIC_DIMENSIONS, METRIC_NAMES } from '../../contract/metric-names';

export { feedbackMetricName, METRIC_NAMES };

// The construct sets both; the fallbacks (the construct's values) keep local runs and tests tidy.
const serviceName = process.env[HANDLER_ENV.POWERTOOLS_SERVICE_NAME] || TELEMETRY_ENVIRONMENT.POWERTOOLS_SERVICE_NAME;
export const logger = new Logger({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace:
    process.env[HANDLER_ENV.POWERTOOLS_METRICS_NAMESPACE] || TELEMETRY_ENVIRONMENT.POWERTOOLS_METRICS_NAMESPACE,
  // Powertools' own warnings as JSON lines of this logger, at ERROR: the JWK Set route counts nothing but its errors,
  // and "No application metrics to publish" on each of its requests would drown real warnings. Metric names and
  // dimensions, the subject of Powertools' other warnings, are pinned by the tests.
  logger: logger.createChild({ logLevel: 'ERROR' }),
});

/**
 * A dimension for this flush's metrics, and the same metrics under the service dimension alone (a second EMF
 * dimension set), so an alarm can watch the total across reasons or codes: CloudWatch alarms cannot sum over a
 * dimension they do not name.
 */
function addDimensionWithRollup(name: string, value: string): void {
  metrics.addDimension(name, value);
  metrics.addDimensions({});
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
      if (verdict.reason !== undefined) addDimensionWithRollup(METRIC_DIMENSIONS.reason, verdict.reason);
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
  addDimensionWithRollup(METRIC_DIMENSIONS.errorCode, code);
  metrics.addMetric(METRIC_NAMES.error, MetricUnit.Count, 1);
}
