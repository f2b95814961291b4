/**
 * The rules and defaults of every setting the handlers read as well as the construct: lib/resolve-props.ts checks them at
 * synth, lambda/shared/config.ts at cold start, so a value synth accepts is never refused at cold start (and the
 * other way round). Pure data and plain functions; imported by the CDK code, the handlers, local mode and the client.
 */
import {
  AUDIT_IMAGES_LIMIT,
  CHALLENGE_TYPES,
  CHALLENGE_VERSION_PATTERN,
  CONFIDENCE_RANGE,
  type ChallengeType,
} from './liveness-model';

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
  /** An app's backend must verify an attestation within this lifetime; long enough for one hop, short enough not to be replayed later. */
  attestationTtlSeconds: { min: 30, max: 3600 },
} as const satisfies Record<string, Range>;

/**
 * The settings the handlers read (from their environment, contract/handler-environment.ts) and their defaults: the
 * construct's (lib/defaults.ts HANDLER_DEFAULTS) and the handlers' for an unset variable. Documented where the
 * construct takes them (lib/props.ts FaceLivenessBackendProps).
 */
export const HANDLER_SETTING_DEFAULTS = {
  authMode: 'iam' as AuthMode,
  /** Exact origins, or `['*']`. */
  allowedOrigins: ['http://localhost:5173'] as readonly string[],
  confidenceThreshold: 80,
  exposeDetails: false,
  defaultAuditImagesLimit: 0,
  /** Preferred first; AWS calls FaceMovementAndLightChallenge the most accurate. */
  allowedChallenges: ['FaceMovementAndLightChallenge'] as readonly ChallengeType[],
  attestationTtlSeconds: 300,
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

/** The lowest version of each challenge type a live result may report; a type left out: any version. */
export type ChallengeMinVersions = Readonly<Partial<Record<ChallengeType, string>>>;

export type HandlerSettings = Readonly<typeof HANDLER_SETTING_DEFAULTS> & {
  /**
   * Lowest version of each challenge a live result may report, keyed by challenge type (Amplify UI runs
   * FaceMovementAndLightChallenge 2.0.0 and FaceMovementChallenge 1.0.0: one minimum cannot serve both). Unset (the
   * default): any version Rekognition reports.
   */
  readonly minChallengeVersions?: ChallengeMinVersions;
};

/** The rule of the allowed challenges; `undefined` when it holds. */
export function allowedChallengesProblem(value: unknown, name: string): string | undefined {
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((c) => (CHALLENGE_TYPES as readonly unknown[]).includes(c)) &&
    new Set(value).size === value.length;
  return ok
    ? undefined
    : `${name} must list one or more distinct challenges of ${CHALLENGE_TYPES.join(', ')} (got ${JSON.stringify(value)})`;
}

/** The rule of a minimum challenge version (major.minor.patch, as Rekognition writes it); `undefined` when it holds. */
export function challengeVersionProblem(value: unknown, name: string): string | undefined {
  return typeof value === 'string' && CHALLENGE_VERSION_PATTERN.test(value)
    ? undefined
    : `${name} must be a version like 1.0.0 (got ${JSON.stringify(value)})`;
}

/**
 * The rules of the per-challenge minimum versions: an object keyed by challenge types, each a version like 1.0.0,
 * and, when `allowed` is given, each type one the allowed challenges list (a minimum for a challenge no session may
 * run is a mistake).
 */
export function minChallengeVersionsProblems(
  value: unknown,
  name: string,
  allowed?: { readonly value: readonly string[]; readonly name: string },
): string[] {
  const names = { minVersions: name };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${names.minVersions} must map challenge types to versions like 1.0.0 (got ${JSON.stringify(value)})`];
  const problems: string[] = [];
  for (const [type, version] of Object.entries(value)) {
    if (!(CHALLENGE_TYPES as readonly string[]).includes(type)) {
      problems.push(`${names.minVersions} names ${JSON.stringify(type)}, not one of ${CHALLENGE_TYPES.join(', ')}`);
      continue;
    }
    const problem = challengeVersionProblem(version, `${names.minVersions} ${type}`);
    if (problem !== undefined) problems.push(problem);
    else if (allowed !== undefined && !allowed.value.includes(type))
      problems.push(`${names.minVersions} sets ${type}, which ${allowed.name} does not list`);
  }
  return problems;
}

export function inRange(value: unknown, range: Range, integer: boolean): value is number {
  return typeof value === 'number' && value >= range.min && value <= range.max && (!integer || Number.isInteger(value));
}

/** The one rule across two lockout settings; `undefined` when it holds. Names are the caller's (setting or variable). */
export function lockoutCapProblem(
  lockoutSeconds: number,
  lockoutMaxSeconds: number,
  names: { seconds: string; maxSeconds: string },
): string | undefined {
  return lockoutMaxSeconds < lockoutSeconds
    ? `${names.maxSeconds} (${lockoutMaxSeconds}) must be at least ${names.seconds} (${lockoutSeconds})`
    : undefined;
}
