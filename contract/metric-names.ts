/**
 * The handlers' CloudWatch metric names, shared by the handlers (lambda/shared/observability.ts) and the alarms and
 * dashboard (lib/monitoring.ts). No runtime imports: the construct reads them at synth without loading Powertools.
 */
import type { FeedbackCode } from './liveness-model';

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
 * The dimensions of the handlers' metrics: Powertools' service dimension on every one, plus the reason of a not-live
 * verdict and the error code of a failed request (each also flushed under the service dimension alone, a rollup).
 */
export const METRIC_DIMENSIONS = {
  service: 'service',
  reason: 'reason',
  errorCode: 'errorCode',
} as const;

/**
 * One counter per Rekognition feedback code (e.g. `Feedback.LOW_LIGHTING_DETECTED`), counted with the verdict. A metric
 * name rather than a dimension: a flush has one dimension set, and a not-live verdict already carries its reason.
 */
export function feedbackMetricName(code: FeedbackCode): string {
  return `Feedback.${code}`;
}
