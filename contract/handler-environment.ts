/**
 * Environment variables the construct sets on the Lambda functions and the handlers read (once, at cold start). The
 * local API sets the same ones. One list, so a rename cannot drift between the two sides.
 */
export const HANDLER_ENV = {
  /** Comma-separated allowed CORS origins; `*` only if the operator set it. */
  ALLOWED_ORIGINS: 'ALLOWED_ORIGINS',
  /** Bucket for reference and audit images. Unset: images come back as bytes and are not stored. */
  IMAGE_BUCKET: 'IMAGE_BUCKET',
  /** Key prefix for images in that bucket, ending in `/`. */
  IMAGE_KEY_PREFIX: 'IMAGE_KEY_PREFIX',
  /** KMS key for the images, passed to CreateFaceLivenessSession as KmsKeyId. */
  KMS_KEY_ID: 'KMS_KEY_ID',
  /** Audit images per session when the client asks for none (0–4). */
  DEFAULT_AUDIT_IMAGES_LIMIT: 'DEFAULT_AUDIT_IMAGES_LIMIT',
  /** Confidence (0–100) at or above which a SUCCEEDED session is live. */
  CONFIDENCE_THRESHOLD: 'CONFIDENCE_THRESHOLD',
  /** `true` adds confidence, bounding boxes and images to results. */
  EXPOSE_DETAILS: 'EXPOSE_DETAILS',
  /** Lifetime of presigned image URLs, seconds. */
  PRESIGNED_URL_TTL_SECONDS: 'PRESIGNED_URL_TTL_SECONDS',
  /** Seconds a client should wait before polling a pending session again. */
  POLL_RETRY_AFTER_SECONDS: 'POLL_RETRY_AFTER_SECONDS',
  /** Per-call timeout of AWS SDK calls, ms (below the function timeout). */
  SDK_TIMEOUT_MS: 'SDK_TIMEOUT_MS',
  /** AWS SDK max attempts (first try included). */
  SDK_MAX_ATTEMPTS: 'SDK_MAX_ATTEMPTS',
  /** How API Gateway authenticates callers (`iam`, `cognito` or `none`): decides where the session owner comes from. */
  AUTH_MODE: 'AUTH_MODE',
  /** The DynamoDB table of session records, verdicts and failure counts (contract/session-table-schema.ts). */
  SESSION_TABLE_NAME: 'SESSION_TABLE_NAME',
  /** Days a session record and its verdict are kept (DynamoDB TTL). */
  VERDICT_RETENTION_DAYS: 'VERDICT_RETENTION_DAYS',
  /** Failed checks within the window that lock an owner out of creating sessions; 0 turns the lockout off. */
  LOCKOUT_MAX_FAILURES: 'LOCKOUT_MAX_FAILURES',
  /** The sliding window in which failed checks are counted, seconds. */
  LOCKOUT_WINDOW_SECONDS: 'LOCKOUT_WINDOW_SECONDS',
  /** Length of a first lockout, seconds. */
  LOCKOUT_SECONDS: 'LOCKOUT_SECONDS',
  /** Each repeated lockout lasts this many times the previous one. */
  LOCKOUT_BACKOFF_FACTOR: 'LOCKOUT_BACKOFF_FACTOR',
  /** Longest lockout, seconds; also how long repeated lockouts are remembered. */
  LOCKOUT_MAX_SECONDS: 'LOCKOUT_MAX_SECONDS',
  /** Local mode only: the Rekognition emulator's URL. Never set by the construct. */
  REKOGNITION_ENDPOINT: 'REKOGNITION_ENDPOINT',
  /** Local mode only: the local S3's URL (path-style). Never set by the construct. */
  S3_ENDPOINT: 'S3_ENDPOINT',
  /** Local mode only: the local DynamoDB-compatible server's URL (dynalite). Never set by the construct. */
  DYNAMODB_ENDPOINT: 'DYNAMODB_ENDPOINT',
} as const;

export type HandlerEnvName = keyof typeof HANDLER_ENV;
