/**
 * The rules and defaults of every setting the handlers read as well as the construct: lib/settings.ts checks them at
 * synth, lambda/shared/config.ts at cold start, so a value synth accepts is never refused at cold start (and the
 * other way round). Pure data and plain functions; imported by the CDK code, the handlers, local mode and the client.
 */
import { AUDIT_IMAGES_LIMIT, CONFIDENCE_RANGE } from './liveness-model';

/** How API callers authenticate: SigV4 with identity-pool credentials, a Cognito user-pool token, or nothing. */
export const AUTH_MODES = ['iam', 'cognito', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface Range {
  readonly min: number;
  readonly max: number;
}

/** Allowed ranges. `integer` settings must be whole numbers; the others may have a fraction. */
export const SETTING_RANGES = {
  confidenceThreshold: CONFIDENCE_RANGE,
  defaultAuditImagesLimit: AUDIT_IMAGES_LIMIT,
  presignedUrlTtlSeconds: { min: 1, max: 3600 },
  pollRetryAfterSeconds: { min: 1, max: 30 },
  /** Below the largest function timeout (29 s, API Gateway's integration limit), so a slow call ends as a 504. */
  sdkTimeoutMs: { min: 100, max: 28_000 },
  sdkMaxAttempts: { min: 1, max: 5 },
  verdictRetentionDays: { min: 1, max: 3650 },
  /** 0 turns the lockout off; the owner item tracks at most MAX_TRACKED_FAILURES sessions. */
  lockoutMaxFailures: { min: 0, max: 50 },
  lockoutWindowSeconds: { min: 1, max: 86_400 },
  lockoutSeconds: { min: 1, max: 30 * 86_400 },
  lockoutBackoffFactor: { min: 1, max: 10 },
  lockoutMaxSeconds: { min: 1, max: 30 * 86_400 },
} as const satisfies Record<string, Range>;

/**
 * The settings the handlers read (from their environment, contract/handler-environment.ts) and their defaults: the
 * construct's (lib/settings.ts DEFAULT_SETTINGS) and the handlers' for an unset variable. Documented where the
 * construct takes them (lib/settings.ts FaceLivenessSettings).
 */
export const HANDLER_SETTING_DEFAULTS = {
  authMode: 'iam' as AuthMode,
  /** Exact origins, or `['*']`. */
  allowedOrigins: ['http://localhost:5173'] as readonly string[],
  confidenceThreshold: 80,
  exposeDetails: false,
  defaultAuditImagesLimit: 0,
  presignedUrlTtlSeconds: 60,
  pollRetryAfterSeconds: 1,
  sdkTimeoutMs: 3000,
  sdkMaxAttempts: 2,
  verdictRetentionDays: 30,
  lockoutMaxFailures: 5,
  lockoutWindowSeconds: 180,
  lockoutSeconds: 1800,
  lockoutBackoffFactor: 2,
  lockoutMaxSeconds: 86_400,
  /** Off by default: it costs ~3 % more cold-start work, over the budget (README, "X-Ray"). */
  traceAwsCalls: false,
};

export type HandlerSettings = Readonly<typeof HANDLER_SETTING_DEFAULTS>;

export function inRange(value: unknown, range: Range, integer: boolean): value is number {
  return typeof value === 'number' && value >= range.min && value <= range.max && (!integer || Number.isInteger(value));
}

/** The one rule across two lockout settings; `undefined` when it holds. Names are the caller's (setting or variable). */
export function lockoutCapProblem(lockoutSeconds: number, lockoutMaxSeconds: number, names: { seconds: string; maxSeconds: string }): string | undefined {
  return lockoutMaxSeconds < lockoutSeconds ? `${names.maxSeconds} (${lockoutMaxSeconds}) must be at least ${names.seconds} (${lockoutSeconds})` : undefined;
}
