import { HANDLER_ENV } from '../contract/handler-environment';
import type { FaceLivenessSettings } from './settings';

/** Key prefix of stored images; Rekognition generates the object names below it. */
export const IMAGE_KEY_PREFIX = 'liveness/';

/** Powertools' own variable names and this backend's values for them (not ours to rename, so not in HANDLER_ENV). */
export const POWERTOOLS_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: 'face-liveness',
  POWERTOOLS_METRICS_NAMESPACE: 'FaceLiveness',
  POWERTOOLS_LOG_LEVEL: 'INFO',
} as const;

export interface ImageStorageEnvironment {
  readonly bucketName: string;
  /** Set when the images are encrypted with a customer-managed key. */
  readonly kmsKeyArn?: string;
}

/**
 * The environment both handlers get. It holds configuration only, never secrets, so both functions get all of it:
 * the handlers validate their configuration once at cold start, and a variable one of them does not read costs nothing.
 * The local-only endpoint overrides (REKOGNITION_ENDPOINT, S3_ENDPOINT, DYNAMODB_ENDPOINT) are never set here.
 */
export function handlerEnvironment(settings: FaceLivenessSettings, images?: ImageStorageEnvironment, sessionTableName?: string): Record<string, string> {
  const env: Record<string, string> = {
    [HANDLER_ENV.AUTH_MODE]: settings.authMode,
    [HANDLER_ENV.VERDICT_RETENTION_DAYS]: String(settings.verdictRetentionDays),
    [HANDLER_ENV.LOCKOUT_MAX_FAILURES]: String(settings.lockoutMaxFailures),
    [HANDLER_ENV.LOCKOUT_WINDOW_SECONDS]: String(settings.lockoutWindowSeconds),
    [HANDLER_ENV.LOCKOUT_SECONDS]: String(settings.lockoutSeconds),
    [HANDLER_ENV.LOCKOUT_BACKOFF_FACTOR]: String(settings.lockoutBackoffFactor),
    [HANDLER_ENV.LOCKOUT_MAX_SECONDS]: String(settings.lockoutMaxSeconds),
    [HANDLER_ENV.ALLOWED_ORIGINS]: settings.allowedOrigins.join(','),
    [HANDLER_ENV.DEFAULT_AUDIT_IMAGES_LIMIT]: String(settings.defaultAuditImagesLimit),
    [HANDLER_ENV.CONFIDENCE_THRESHOLD]: String(settings.confidenceThreshold),
    [HANDLER_ENV.EXPOSE_DETAILS]: String(settings.exposeDetails),
    [HANDLER_ENV.PRESIGNED_URL_TTL_SECONDS]: String(settings.presignedUrlTtlSeconds),
    [HANDLER_ENV.POLL_RETRY_AFTER_SECONDS]: String(settings.pollRetryAfterSeconds),
    [HANDLER_ENV.SDK_TIMEOUT_MS]: String(settings.sdkTimeoutMs),
    [HANDLER_ENV.SDK_MAX_ATTEMPTS]: String(settings.sdkMaxAttempts),
    ...POWERTOOLS_ENVIRONMENT,
  };
  // The construct always passes its table; without one (a harness that fakes AWS) the handlers refuse to start.
  if (sessionTableName !== undefined) env[HANDLER_ENV.SESSION_TABLE_NAME] = sessionTableName;
  if (images) {
    env[HANDLER_ENV.IMAGE_BUCKET] = images.bucketName;
    env[HANDLER_ENV.IMAGE_KEY_PREFIX] = IMAGE_KEY_PREFIX;
    if (images.kmsKeyArn) env[HANDLER_ENV.KMS_KEY_ID] = images.kmsKeyArn;
  }
  return env;
}
