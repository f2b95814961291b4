/**
 * Every setting of the backend in one typed, validated place: the construct's internal resolved configuration, which
 * the handler environment is written from. The construct's public props (lib/props.ts) are converted into it; the
 * project's own app reads the same flat names from CDK context (bin/context-settings.ts). Each has a default and a check.
 */
import { originProblems } from '../contract/cors';
import type { ChallengeType } from '../contract/liveness-model';
import {
  AUTH_MODES,
  HANDLER_SETTING_DEFAULTS,
  SETTING_RANGES,
  allowedChallengesProblem,
  minChallengeVersionsProblems,
  inRange,
  lockoutCapProblem,
  type AuthMode,
  type ChallengeMinVersions,
  type Range,
} from '../contract/setting-rules';

export type { AuthMode };
export type ImageEncryption = 's3' | 'kms';
export type DataRemovalPolicy = 'retain' | 'destroy';

export interface FaceLivenessSettings {
  /** How API callers authenticate: SigV4 with identity-pool credentials, a Cognito user-pool token, or nothing. @default 'iam' */
  readonly authMode: AuthMode;
  /** User pool whose tokens the API accepts; required when authMode is 'cognito'. @default none */
  readonly userPoolArn?: string;
  /** Browser origins allowed by CORS. `*` only if you set it yourself. @default ['http://localhost:5173'] */
  readonly allowedOrigins: readonly string[];
  /** Confidence (0–100) at or above which a check is live. AWS: 50–60 stops presentation attacks, 80–90 deepfakes. @default 80 */
  readonly confidenceThreshold: number;
  /** Add confidence, bounding boxes and images (presigned URLs or bytes) to results. @default false */
  readonly exposeDetails: boolean;
  /** Lifetime of presigned image URLs in seconds (with exposeDetails). @default 60 */
  readonly presignedUrlTtlSeconds: number;
  /** Store reference and audit images in the bucket (else they come back as bytes and are never stored). @default true */
  readonly storeImages: boolean;
  /**
   * Challenges a client may ask for, in order of preference (the first is used when it asks for none). A result whose
   * reported challenge is not listed is not live. AWS: FaceMovementAndLightChallenge is the most accurate; add
   * FaceMovementChallenge to offer the photosensitivity-friendly one. @default ['FaceMovementAndLightChallenge']
   */
  readonly allowedChallenges: readonly ChallengeType[];
  /**
   * Lowest version (major.minor.patch) a live result may report, per challenge type (each one of allowedChallenges);
   * asked of Rekognition as that type's Versions.Minimum. A type left out: any version. @default none
   */
  readonly minChallengeVersions?: ChallengeMinVersions;
  /** Lifetime of a verdict's attestation (a signed JWS), seconds (30–3600): an app's backend must verify it within this. @default 300 */
  readonly attestationTtlSeconds: number;
  /** The `iss` claim of attestations. @default `urn:face-liveness:<stack name>:<construct path>` */
  readonly attestationIssuer?: string;
  /** The `aud` claim of attestations: the app they are for. @default none */
  readonly attestationAudience?: string;
  /** Audit images kept per session, a floor: a client may ask for more, never fewer (0–4). @default 0 */
  readonly defaultAuditImagesLimit: number;
  /** Days after which stored images are deleted: biometric data must not live forever. @default 30 */
  readonly imageRetentionDays: number;
  /** Bucket encryption: SSE-S3, or a customer-managed KMS key with rotation (also passed to Rekognition). @default 's3' */
  readonly imageEncryption: ImageEncryption;
  /** What happens to the image bucket (and its key, the log bucket and the log groups) on `cdk destroy`. 'destroy' only for throwaway environments. @default 'retain' */
  readonly removalPolicy: DataRemovalPolicy;
  /** Write S3 server access logs of the image bucket to a log bucket. @default true */
  readonly serverAccessLogs: boolean;
  /** Stage-wide steady request rate (requests per second). @default 10 */
  readonly throttlingRateLimit: number;
  /** Stage-wide burst (requests). @default 20 */
  readonly throttlingBurstLimit: number;
  /** Put a WAF web ACL with a per-IP rate-based rule in front of the API. @default true */
  readonly waf: boolean;
  /** Requests one IP may make in 5 minutes before WAF blocks it (10–2,000,000,000). @default 300 */
  readonly wafRateLimit: number;
  /** Let unauthenticated (guest) identity-pool identities stream and call the API. @default true */
  readonly allowGuestAccess: boolean;
  /** Add an aws:RequestedRegion condition (the stack's region) to the Rekognition permissions. @default true */
  readonly restrictToRegion: boolean;
  /** Retention of the functions' and the API's log groups and of the S3 server access logs, days (one of CloudWatch's allowed values). @default 30 */
  readonly logRetentionDays: number;
  /** Function timeout, seconds. @default 10 */
  readonly functionTimeoutSeconds: number;
  /** Per-call timeout of Rekognition and S3 calls, ms; must leave room for retries within the function timeout. @default 3000 */
  readonly sdkTimeoutMs: number;
  /** AWS SDK attempts per call, first try included. @default 2 */
  readonly sdkMaxAttempts: number;
  /** Seconds a client waits before polling a pending session again (Retry-After). @default 1 */
  readonly pollRetryAfterSeconds: number;
  /** Synthesize even where Face Liveness is not (yet) offered. @default false */
  readonly allowUnsupportedRegion: boolean;
  /** Days a session record and its verdict (owner, times, verdict; never a score or an image) are kept in the session table. @default 30 */
  readonly verdictRetentionDays: number;
  /** Failed checks of one owner within lockoutWindowSeconds that lock it out of creating sessions (AWS: at most 5); 0 turns the lockout off. @default 5 */
  readonly lockoutMaxFailures: number;
  /** The sliding window in which failed checks are counted, seconds (AWS: 3 minutes). @default 180 */
  readonly lockoutWindowSeconds: number;
  /** Length of a first lockout, seconds (AWS: 30–60 minutes). @default 1800 */
  readonly lockoutSeconds: number;
  /** Each lockout in a row lasts this many times the previous one (1: no backoff). @default 2 */
  readonly lockoutBackoffFactor: number;
  /** Longest lockout, seconds; lockouts in a row are forgotten after this long without one. @default 86400 */
  readonly lockoutMaxSeconds: number;
  /** Send an X-Ray subsegment for each Rekognition and DynamoDB call of the functions (README, "X-Ray"). @default false */
  readonly traceAwsCalls: boolean;
  /**
   * X-Ray tracing of the API stage. Its traces hold the caller's IP address and the request URL, with the session id
   * (README, "X-Ray"); the functions are traced either way. @default false
   */
  readonly apiTracing: boolean;
  /** Create the CloudWatch alarms (README: "Operating it"). @default true */
  readonly alarms: boolean;
  /** Create the CloudWatch dashboard. @default true */
  readonly dashboard: boolean;
  /** Send alarm and OK notifications to this address through a new SNS topic (or pass your own topic as the construct's alarmTopic). @default none */
  readonly alarmEmail?: string;
  /** Share of API requests answered with a 5xx, percent, above which the 5xx alarm fires. @default 5 */
  readonly alarmServerErrorPercent: number;
  /** p99 latency of a route, ms, above which its latency alarm fires (3 periods in a row). @default 3000 */
  readonly alarmLatencyP99Ms: number;
  /** Failed invocations (crashes, timeouts) of one function per period that fire its errors alarm. @default 1 */
  readonly alarmFunctionErrors: number;
  /** Throttled invocations of one function per period that fire its throttles alarm. @default 1 */
  readonly alarmFunctionThrottles: number;
  /** Calls throttled by Rekognition (or the session table) per period that fire the upstream throttles alarm. @default 5 */
  readonly alarmUpstreamThrottles: number;
  /** Server errors from Rekognition (or the session table) per period that fire the upstream server errors alarm. @default 5 */
  readonly alarmUpstreamServerErrors: number;
  /** Share of finished checks that were not live, percent, above which the failed-check alarm fires. @default 50 */
  readonly alarmFailedCheckPercent: number;
  /** Lockouts started per period that fire the lockout alarm. @default 5 */
  readonly alarmLockoutsStarted: number;
  /** Requests blocked by the WAF per period that fire the WAF alarm. @default 100 */
  readonly alarmWafBlockedRequests: number;
  /** Requests (or finished checks) a period needs before a share alarm (5xx, failed checks) can fire. @default 10 */
  readonly alarmMinSamples: number;
}

export const DEFAULT_SETTINGS: FaceLivenessSettings = {
  // The settings the handlers read too: authMode, allowedOrigins, confidenceThreshold, exposeDetails,
  // presignedUrlTtlSeconds, defaultAuditImagesLimit, allowedChallenges, attestationTtlSeconds, sdkTimeoutMs, sdkMaxAttempts, pollRetryAfterSeconds,
  // verdictRetentionDays, the lockout settings and traceAwsCalls.
  ...HANDLER_SETTING_DEFAULTS,
  storeImages: true,
  imageRetentionDays: 30,
  imageEncryption: 's3',
  removalPolicy: 'retain',
  serverAccessLogs: true,
  throttlingRateLimit: 10,
  throttlingBurstLimit: 20,
  waf: true,
  wafRateLimit: 300,
  allowGuestAccess: true,
  restrictToRegion: true,
  logRetentionDays: 30,
  functionTimeoutSeconds: 10,
  allowUnsupportedRegion: false,
  apiTracing: false,
  alarms: true,
  dashboard: true,
  alarmServerErrorPercent: 5,
  alarmLatencyP99Ms: 3000,
  alarmFunctionErrors: 1,
  alarmFunctionThrottles: 1,
  alarmUpstreamThrottles: 5,
  alarmUpstreamServerErrors: 5,
  alarmFailedCheckPercent: 50,
  alarmLockoutsStarted: 5,
  alarmWafBlockedRequests: 100,
  alarmMinSamples: 10,
};

export type SettingName = keyof FaceLivenessSettings;
export const SETTING_NAMES = [
  'authMode',
  'userPoolArn',
  'allowedOrigins',
  'confidenceThreshold',
  'exposeDetails',
  'presignedUrlTtlSeconds',
  'storeImages',
  'allowedChallenges',
  'minChallengeVersions',
  'attestationTtlSeconds',
  'attestationIssuer',
  'attestationAudience',
  'defaultAuditImagesLimit',
  'imageRetentionDays',
  'imageEncryption',
  'removalPolicy',
  'serverAccessLogs',
  'throttlingRateLimit',
  'throttlingBurstLimit',
  'waf',
  'wafRateLimit',
  'allowGuestAccess',
  'restrictToRegion',
  'logRetentionDays',
  'functionTimeoutSeconds',
  'sdkTimeoutMs',
  'sdkMaxAttempts',
  'pollRetryAfterSeconds',
  'allowUnsupportedRegion',
  'verdictRetentionDays',
  'lockoutMaxFailures',
  'lockoutWindowSeconds',
  'lockoutSeconds',
  'lockoutBackoffFactor',
  'lockoutMaxSeconds',
  'traceAwsCalls',
  'apiTracing',
  'alarms',
  'dashboard',
  'alarmEmail',
  'alarmServerErrorPercent',
  'alarmLatencyP99Ms',
  'alarmFunctionErrors',
  'alarmFunctionThrottles',
  'alarmUpstreamThrottles',
  'alarmUpstreamServerErrors',
  'alarmFailedCheckPercent',
  'alarmLockoutsStarted',
  'alarmWafBlockedRequests',
  'alarmMinSamples',
] as const satisfies readonly SettingName[];

/** CloudWatch Logs' allowed retention values (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export class SettingsError extends Error {
  constructor(problems: readonly string[]) {
    super(`Invalid Face Liveness settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
  }
}

// Deliberately loose (SNS sends a confirmation mail anyway): one @, no spaces, a dot in the domain.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const USER_POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+_[0-9a-zA-Z]+$/;

export interface ResolveOptions {
  /**
   * Tells deploy-time values (CDK tokens, e.g. a CfnParameter's valueAsNumber) from synth-time ones: a token skips the
   * synth-time checks and reaches the function environment intact. The construct passes `Token.isUnresolved`; this
   * file stays free of aws-cdk-lib. @default - no value is a token
   */
  readonly isUnresolved?: (value: unknown) => boolean;
}

/** Merges overrides onto the defaults and checks every value; throws one SettingsError listing every problem. */
export function resolveSettings(
  overrides: Partial<FaceLivenessSettings> = {},
  options: ResolveOptions = {},
): FaceLivenessSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const s: FaceLivenessSettings = { ...DEFAULT_SETTINGS, ...defined };
  const problems: string[] = [];
  const isToken = options.isUnresolved ?? (() => false);
  const known = (...values: unknown[]) => values.every((v) => !isToken(v));
  const int = (name: SettingName, min: number, max: number) => {
    const v = s[name];
    if (isToken(v)) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(v)})`);
    }
  };
  /** A setting the handlers read too: its range is the contract's (contract/setting-rules.ts). */
  const ranged = (name: keyof typeof SETTING_RANGES, integer = true) => {
    const range: Range = SETTING_RANGES[name];
    if (integer) int(name, range.min, range.max);
    else if (!isToken(s[name]) && !inRange(s[name], range, false)) {
      problems.push(`${name} must be a number from ${range.min} to ${range.max} (got ${JSON.stringify(s[name])})`);
    }
  };
  const bool = (name: SettingName) => {
    if (typeof s[name] !== 'boolean') problems.push(`${name} must be true or false (got ${JSON.stringify(s[name])})`);
  };
  const oneOf = (name: SettingName, allowed: readonly string[]) => {
    if (!allowed.includes(s[name] as string)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(s[name])})`);
    }
  };

  oneOf('authMode', AUTH_MODES);
  if (s.authMode === 'cognito' && !s.userPoolArn) problems.push("userPoolArn is required when authMode is 'cognito'");
  if (s.userPoolArn !== undefined && !isToken(s.userPoolArn) && !USER_POOL_ARN.test(s.userPoolArn)) {
    problems.push(`userPoolArn must be a Cognito user pool ARN (got ${JSON.stringify(s.userPoolArn)})`);
  }
  if (s.userPoolArn !== undefined && s.authMode !== 'cognito')
    problems.push("userPoolArn is only used when authMode is 'cognito'");

  if (!Array.isArray(s.allowedOrigins)) problems.push('allowedOrigins must list at least one origin');
  else
    problems.push(
      ...originProblems(
        s.allowedOrigins.filter((o) => !isToken(o)),
        'allowedOrigins',
      ),
    );

  ranged('confidenceThreshold', false);
  bool('exposeDetails');
  ranged('presignedUrlTtlSeconds');
  bool('storeImages');
  const challengesProblem = allowedChallengesProblem(s.allowedChallenges, 'allowedChallenges');
  if (challengesProblem !== undefined) problems.push(challengesProblem);
  if (s.minChallengeVersions !== undefined)
    problems.push(
      ...minChallengeVersionsProblems(s.minChallengeVersions, 'minChallengeVersions', {
        value: Array.isArray(s.allowedChallenges) ? s.allowedChallenges : [],
        name: 'allowedChallenges',
      }),
    );
  ranged('attestationTtlSeconds');
  if (
    s.attestationIssuer !== undefined &&
    (typeof s.attestationIssuer !== 'string' || !/^\S{1,256}$/.test(s.attestationIssuer))
  ) {
    problems.push(
      `attestationIssuer must be 1–256 characters without whitespace, such as a URL (got ${JSON.stringify(s.attestationIssuer)})`,
    );
  }
  if (
    s.attestationAudience !== undefined &&
    (typeof s.attestationAudience !== 'string' || !/^\S{1,256}$/.test(s.attestationAudience))
  ) {
    problems.push(
      `attestationAudience must be 1–256 characters without whitespace, such as a URL (got ${JSON.stringify(s.attestationAudience)})`,
    );
  }
  ranged('defaultAuditImagesLimit');
  int('imageRetentionDays', 1, 3650);
  oneOf('imageEncryption', ['s3', 'kms']);
  if (s.imageEncryption === 'kms' && !s.storeImages)
    problems.push("imageEncryption 'kms' needs storeImages: there is no bucket to encrypt");
  oneOf('removalPolicy', ['retain', 'destroy']);
  bool('serverAccessLogs');
  int('throttlingRateLimit', 1, 10000);
  int('throttlingBurstLimit', 1, 5000);
  bool('waf');
  int('wafRateLimit', 10, 2_000_000_000);
  bool('allowGuestAccess');
  bool('restrictToRegion');
  if (!isToken(s.logRetentionDays) && !(LOG_RETENTION_DAYS as readonly number[]).includes(s.logRetentionDays)) {
    problems.push(
      `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')} (got ${JSON.stringify(s.logRetentionDays)})`,
    );
  }
  int('functionTimeoutSeconds', 3, 29);
  ranged('sdkTimeoutMs');
  ranged('sdkMaxAttempts');
  if (
    known(s.sdkTimeoutMs, s.sdkMaxAttempts, s.functionTimeoutSeconds) &&
    typeof s.sdkTimeoutMs === 'number' &&
    typeof s.sdkMaxAttempts === 'number' &&
    typeof s.functionTimeoutSeconds === 'number' &&
    s.sdkTimeoutMs * s.sdkMaxAttempts >= s.functionTimeoutSeconds * 1000
  ) {
    problems.push(
      `sdkTimeoutMs × sdkMaxAttempts (${s.sdkTimeoutMs * s.sdkMaxAttempts} ms) must stay below functionTimeoutSeconds (${s.functionTimeoutSeconds} s), so a slow call ends as a clean 504, not a killed function`,
    );
  }
  ranged('pollRetryAfterSeconds');
  bool('allowUnsupportedRegion');
  bool('traceAwsCalls');
  bool('apiTracing');
  ranged('verdictRetentionDays');
  ranged('lockoutMaxFailures');
  ranged('lockoutWindowSeconds');
  ranged('lockoutSeconds');
  ranged('lockoutMaxSeconds');
  ranged('lockoutBackoffFactor', false);
  if (
    known(s.lockoutSeconds, s.lockoutMaxSeconds) &&
    typeof s.lockoutSeconds === 'number' &&
    typeof s.lockoutMaxSeconds === 'number'
  ) {
    const cap = lockoutCapProblem(s.lockoutSeconds, s.lockoutMaxSeconds, {
      seconds: 'lockoutSeconds',
      maxSeconds: 'lockoutMaxSeconds',
    });
    if (cap !== undefined) problems.push(cap);
  }

  bool('alarms');
  bool('dashboard');
  if (s.alarmEmail !== undefined) {
    if (isToken(s.alarmEmail)) {
      // a deploy-time address: SNS checks it
    } else if (typeof s.alarmEmail !== 'string' || !EMAIL.test(s.alarmEmail))
      problems.push(`alarmEmail must be an e-mail address (got ${JSON.stringify(s.alarmEmail)})`);
    else if (s.alarms === false)
      problems.push('alarmEmail needs alarms: with alarms off there is nothing to notify about');
  }
  int('alarmServerErrorPercent', 1, 100);
  int('alarmLatencyP99Ms', 50, 29_000);
  int('alarmFunctionErrors', 1, 1_000_000);
  int('alarmFunctionThrottles', 1, 1_000_000);
  int('alarmUpstreamThrottles', 1, 1_000_000);
  int('alarmUpstreamServerErrors', 1, 1_000_000);
  int('alarmFailedCheckPercent', 1, 100);
  int('alarmLockoutsStarted', 1, 1_000_000);
  int('alarmWafBlockedRequests', 1, 2_000_000_000);
  int('alarmMinSamples', 1, 1_000_000);

  if (problems.length > 0) throw new SettingsError(problems);
  return s;
}
