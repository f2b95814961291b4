/**
 * This repository's app's settings: the flat names that `cdk.json`, `cdk deploy -c name=value` and local mode
 * (`npm start`) use, each with its default and its check. The app reads them from CDK context and turns them into
 * the construct's props (bin/context-settings.ts); the library itself knows only props. Defaults and limits are the
 * construct's (lib/defaults.ts) and the contract's (contract/setting-rules.ts); messages name the context keys.
 */
import { originProblems } from '../contract/cors';
import type { ChallengeType } from '../contract/liveness-model';
import {
  AUTH_MODES,
  SETTING_RANGES,
  allowedChallengesProblem,
  minChallengeVersionsProblems,
  inRange,
  lockoutCapProblem,
  type AuthMode,
  type ChallengeMinVersions,
  type Range,
} from '../contract/setting-rules';
import {
  ATTESTATION_NAME_PATTERN,
  CONSTRUCT_DEFAULTS,
  CONSTRUCT_LIMITS,
  EMAIL_PATTERN,
  HANDLER_DEFAULTS,
  LOG_RETENTION_DAYS,
  USER_POOL_ARN_PATTERN,
} from '../lib/defaults';
import { FaceLivenessValidationError } from '../lib/errors';
import type { ImageEncryption } from '../lib/props';

export type { AuthMode };
/** The context value of images.encryption: the ImageEncryption enum's values. */
export type ImageEncryptionSetting = `${ImageEncryption}`;
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
  readonly imageEncryption: ImageEncryptionSetting;
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

const T = CONSTRUCT_DEFAULTS.thresholds;

/** The defaults of the app's settings: the construct's own, under the flat names. */
export const DEFAULT_SETTINGS: FaceLivenessSettings = {
  ...HANDLER_DEFAULTS,
  storeImages: CONSTRUCT_DEFAULTS.storeImages,
  imageRetentionDays: CONSTRUCT_DEFAULTS.imageRetention.toDays(),
  imageEncryption: 's3',
  removalPolicy: 'retain',
  serverAccessLogs: CONSTRUCT_DEFAULTS.serverAccessLogs,
  throttlingRateLimit: CONSTRUCT_DEFAULTS.throttlingRateLimit,
  throttlingBurstLimit: CONSTRUCT_DEFAULTS.throttlingBurstLimit,
  waf: CONSTRUCT_DEFAULTS.firewallEnabled,
  wafRateLimit: CONSTRUCT_DEFAULTS.firewallRateLimitPerIp,
  allowGuestAccess: CONSTRUCT_DEFAULTS.allowGuestAccess,
  restrictToRegion: CONSTRUCT_DEFAULTS.restrictToRegion,
  logRetentionDays: CONSTRUCT_DEFAULTS.logRetentionDays,
  functionTimeoutSeconds: CONSTRUCT_DEFAULTS.functionTimeout.toSeconds(),
  allowUnsupportedRegion: CONSTRUCT_DEFAULTS.allowUnsupportedRegion,
  apiTracing: CONSTRUCT_DEFAULTS.apiTracing,
  alarms: CONSTRUCT_DEFAULTS.alarms,
  dashboard: CONSTRUCT_DEFAULTS.dashboard,
  alarmServerErrorPercent: T.serverErrorPercent,
  alarmLatencyP99Ms: T.latencyP99.toMilliseconds(),
  alarmFunctionErrors: T.functionErrors,
  alarmFunctionThrottles: T.functionThrottles,
  alarmUpstreamThrottles: T.upstreamThrottles,
  alarmUpstreamServerErrors: T.upstreamServerErrors,
  alarmFailedCheckPercent: T.failedCheckPercent,
  alarmLockoutsStarted: T.lockoutsStarted,
  alarmWafBlockedRequests: T.wafBlockedRequests,
  alarmMinSamples: T.minSamples,
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

/** The app's settings as one error: each problem's `propPath` is the context key it names. */
export function settingsError(problems: readonly string[]): FaceLivenessValidationError {
  return new FaceLivenessValidationError(
    problems.map((message) => ({ propPath: /^[A-Za-z]+/.exec(message)?.[0] ?? '', message })),
  );
}

export interface ResolveOptions {
  /**
   * Tells deploy-time values (CDK tokens, e.g. a CfnParameter's valueAsNumber) from synth-time ones: a token skips the
   * synth-time checks and reaches the function environment intact. The construct passes `Token.isUnresolved`; this
   * file stays free of aws-cdk-lib. @default - no value is a token
   */
  readonly isUnresolved?: (value: unknown) => boolean;
}

/** Merges overrides onto the defaults and checks every value; throws one FaceLivenessValidationError listing every problem. */
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
  const limited = (name: SettingName, limit: keyof typeof CONSTRUCT_LIMITS) =>
    int(name, CONSTRUCT_LIMITS[limit].min, CONSTRUCT_LIMITS[limit].max);
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
  if (s.userPoolArn !== undefined && !isToken(s.userPoolArn) && !USER_POOL_ARN_PATTERN.test(s.userPoolArn)) {
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
    (typeof s.attestationIssuer !== 'string' || !ATTESTATION_NAME_PATTERN.test(s.attestationIssuer))
  ) {
    problems.push(
      `attestationIssuer must be 1–256 characters without whitespace, such as a URL (got ${JSON.stringify(s.attestationIssuer)})`,
    );
  }
  if (
    s.attestationAudience !== undefined &&
    (typeof s.attestationAudience !== 'string' || !ATTESTATION_NAME_PATTERN.test(s.attestationAudience))
  ) {
    problems.push(
      `attestationAudience must be 1–256 characters without whitespace, such as a URL (got ${JSON.stringify(s.attestationAudience)})`,
    );
  }
  ranged('defaultAuditImagesLimit');
  limited('imageRetentionDays', 'imageRetentionDays');
  oneOf('imageEncryption', ['s3', 'kms']);
  if (s.imageEncryption === 'kms' && !s.storeImages)
    problems.push("imageEncryption 'kms' needs storeImages: there is no bucket to encrypt");
  oneOf('removalPolicy', ['retain', 'destroy']);
  bool('serverAccessLogs');
  limited('throttlingRateLimit', 'throttlingRateLimit');
  limited('throttlingBurstLimit', 'throttlingBurstLimit');
  bool('waf');
  limited('wafRateLimit', 'firewallRateLimitPerIp');
  bool('allowGuestAccess');
  bool('restrictToRegion');
  if (!isToken(s.logRetentionDays) && !(LOG_RETENTION_DAYS as readonly number[]).includes(s.logRetentionDays)) {
    problems.push(
      `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')} (got ${JSON.stringify(s.logRetentionDays)})`,
    );
  }
  limited('functionTimeoutSeconds', 'functionTimeoutSeconds');
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
    } else if (typeof s.alarmEmail !== 'string' || !EMAIL_PATTERN.test(s.alarmEmail))
      problems.push(`alarmEmail must be an e-mail address (got ${JSON.stringify(s.alarmEmail)})`);
    else if (s.alarms === false)
      problems.push('alarmEmail needs alarms: with alarms off there is nothing to notify about');
  }
  limited('alarmServerErrorPercent', 'serverErrorPercent');
  limited('alarmLatencyP99Ms', 'latencyP99Ms');
  limited('alarmFunctionErrors', 'functionErrors');
  limited('alarmFunctionThrottles', 'functionThrottles');
  limited('alarmUpstreamThrottles', 'upstreamThrottles');
  limited('alarmUpstreamServerErrors', 'upstreamServerErrors');
  limited('alarmFailedCheckPercent', 'failedCheckPercent');
  limited('alarmLockoutsStarted', 'lockoutsStarted');
  limited('alarmWafBlockedRequests', 'wafBlockedRequests');
  limited('alarmMinSamples', 'minSamples');

  if (problems.length > 0) throw settingsError(problems);
  return s;
}
