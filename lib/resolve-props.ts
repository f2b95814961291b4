/**
 * The one path from props to the handlers: FaceLivenessBackendProps, checked prop by prop and completed with the
 * defaults (lib/defaults.ts), become one resolved object, which the construct builds its resources from and writes
 * the handler environment from. Every problem names the prop path its caller wrote; all of them are thrown together
 * as one FaceLivenessValidationError.
 */
import { type Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { originProblems } from '../contract/cors';
import {
  allowedChallengesProblem,
  type ChallengeMinVersions,
  type HandlerSettings,
  inRange,
  lockoutCapProblem,
  minChallengeVersionsProblems,
  type Range,
  SETTING_RANGES,
} from '../contract/setting-rules';
import {
  ATTESTATION_NAME_PATTERN,
  CONSTRUCT_DEFAULTS,
  CONSTRUCT_LIMITS,
  EMAIL_PATTERN,
  HANDLER_DEFAULTS,
  LOG_RETENTION_DAYS,
} from './defaults';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { CHECK_TTL_SECONDS, DEFAULT_SIMILARITY_THRESHOLD, SIMILARITY_RANGE } from '../contract/identity';
import { FaceLivenessValidationError, type FaceLivenessProblem } from './errors';
import type { MonitoringThresholds } from './monitoring';
import {
  type FaceLivenessBackendProps,
  ImageEncryption,
  LivenessAuthorization,
  type LivenessChallengeMinVersions,
  MIN_VERSION_CHALLENGES,
} from './props';

/** The alarm thresholds in effect: the monitoring construct's own shape. */
export type ResolvedThresholds = MonitoringThresholds;

/** The props in effect: every default applied, every value checked. */
export interface ResolvedProps {
  /** What the handlers read from their environment (contract/handler-environment.ts writes it). */
  readonly handler: HandlerSettings;
  readonly authorization: LivenessAuthorization;
  readonly images: {
    readonly store: boolean;
    readonly retentionDays: number;
    readonly encryption: ImageEncryption;
    readonly serverAccessLogs: boolean;
  };
  readonly attestation: { readonly issuer?: string; readonly audience?: string };
  readonly removalPolicy: RemovalPolicy;
  readonly logRetentionDays: number;
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly firewall: { readonly enabled: boolean; readonly rateLimitPerIp: number };
  readonly allowGuestAccess: boolean;
  readonly restrictToRegion: boolean;
  readonly allowUnsupportedRegion: boolean;
  readonly functionTimeoutSeconds: number;
  readonly apiTracing: boolean;
  readonly monitoring: {
    readonly alarms: boolean;
    readonly dashboard: boolean;
    readonly alarmEmail?: string;
    readonly thresholds: ResolvedThresholds;
  };
  /** Identity verification, when the `identity` prop is set. */
  readonly identity?: ResolvedIdentity;
}

/** The `identity` prop in effect. */
export interface ResolvedIdentity {
  readonly similarityThreshold: number;
  readonly enrolment: boolean;
  readonly checkTtlSeconds: number;
  readonly referencePhotoSources: readonly { readonly bucket: s3.IBucket; readonly prefix: string }[];
}

/** Options of resolveProps. */
export interface ResolvePropsOptions {
  /**
   * Tells deploy-time values (CDK tokens, e.g. a CfnParameter's valueAsNumber) from synth-time ones: a token skips
   * the synth-time checks and reaches the function environment intact. @default Token.isUnresolved
   */
  readonly isUnresolved?: (value: unknown) => boolean;
}

type Unit = 'seconds' | 'days' | 'milliseconds';
const UNIT_LABEL: Record<Unit, string> = { seconds: 'seconds', days: 'days', milliseconds: 'milliseconds' };

/** Checks `props` and applies the defaults; throws one FaceLivenessValidationError naming every wrong prop path. */
export function resolveProps(props: FaceLivenessBackendProps, options: ResolvePropsOptions = {}): ResolvedProps {
  const isToken = options.isUnresolved ?? ((v: unknown) => Token.isUnresolved(v));
  const problems: FaceLivenessProblem[] = [];
  const problem = (propPath: string, message: string) => problems.push({ propPath, message });
  const got = (v: unknown) => `(got ${JSON.stringify(v)})`;

  /** An integer (or, with `integer` false, any number) within `range`; a token passes unchecked. */
  const number = <T extends number | undefined>(
    path: string,
    value: T,
    fallback: number,
    range: Range,
    integer = true,
  ): number => {
    if (value === undefined) return fallback;
    if (!isToken(value) && !inRange(value, range, integer)) {
      problem(
        path,
        `${path} must be ${integer ? 'an integer' : 'a number'} from ${range.min} to ${range.max} ${got(value)}`,
      );
    }
    return value;
  };
  const bool = (path: string, value: boolean | undefined, fallback: boolean): boolean => {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') problem(path, `${path} must be true or false ${got(value)}`);
    return value;
  };
  /** A Duration in whole `unit`s within `range`. */
  const duration = (path: string, value: Duration | undefined, fallback: number, unit: Unit, range: Range): number => {
    if (value === undefined) return fallback;
    let amount: number;
    try {
      amount = unit === 'seconds' ? value.toSeconds() : unit === 'days' ? value.toDays() : value.toMilliseconds();
    } catch {
      problem(
        path,
        `${path} must be whole ${UNIT_LABEL[unit]} from ${range.min} to ${range.max} (got ${value.toHumanString()})`,
      );
      return fallback;
    }
    if (!isToken(amount) && !inRange(amount, range, true)) {
      problem(
        path,
        `${path} must be whole ${UNIT_LABEL[unit]} from ${range.min} to ${range.max} (got ${value.toHumanString()})`,
      );
    }
    return amount;
  };

  problems.push(...conflicts(props));

  // Who may call.
  const authorization = props.authorization ?? LivenessAuthorization.IAM;
  if (!Object.values(LivenessAuthorization).includes(authorization)) {
    problem(
      'authorization',
      `authorization must be one of ${Object.values(LivenessAuthorization).join(', ')} ${got(authorization)}`,
    );
  }
  const allowedOrigins = props.allowedOrigins ?? HANDLER_DEFAULTS.allowedOrigins;
  if (!Array.isArray(allowedOrigins)) problem('allowedOrigins', 'allowedOrigins must list at least one origin');
  else {
    for (const message of originProblems(
      allowedOrigins.filter((o) => !isToken(o)),
      'allowedOrigins',
    ))
      problem('allowedOrigins', message);
  }

  // The verdict.
  const confidenceThreshold = number(
    'confidenceThreshold',
    props.confidenceThreshold,
    HANDLER_DEFAULTS.confidenceThreshold,
    SETTING_RANGES.confidenceThreshold,
    false,
  );
  const exposeDetails = bool('exposeDetails', props.exposeDetails, HANDLER_DEFAULTS.exposeDetails);
  const allowedChallenges = props.challenges?.allowed ?? HANDLER_DEFAULTS.allowedChallenges;
  const challengesProblem = allowedChallengesProblem(allowedChallenges, 'challenges.allowed');
  if (challengesProblem !== undefined) problem('challenges.allowed', challengesProblem);
  const minChallengeVersions = minVersionsByType(props.challenges?.minVersions);
  if (props.challenges?.minVersions !== undefined) {
    for (const [key, type] of Object.entries(MIN_VERSION_CHALLENGES)) {
      const version = props.challenges.minVersions[key as keyof LivenessChallengeMinVersions];
      if (version === undefined) continue;
      const path = `challenges.minVersions.${key}`;
      for (const message of minChallengeVersionsProblems({ [type]: version }, path, {
        value: Array.isArray(allowedChallenges) ? allowedChallenges : [],
        name: 'challenges.allowed',
      }))
        problem(path, message.replace(`${path} ${type}`, path));
    }
  }

  // Attestations.
  const attestationTtlSeconds = duration(
    'attestation.ttl',
    props.attestation?.ttl,
    HANDLER_DEFAULTS.attestationTtlSeconds,
    'seconds',
    SETTING_RANGES.attestationTtlSeconds,
  );
  for (const name of ['issuer', 'audience'] as const) {
    const value = props.attestation?.[name];
    if (
      value !== undefined &&
      !isToken(value) &&
      (typeof value !== 'string' || !ATTESTATION_NAME_PATTERN.test(value))
    ) {
      problem(
        `attestation.${name}`,
        `attestation.${name} must be 1–256 characters without whitespace, such as a URL ${got(value)}`,
      );
    }
  }

  // Images.
  const images = props.images ?? {};
  const store = bool('images.store', images.store, CONSTRUCT_DEFAULTS.storeImages);
  // A brought key encrypts the images whenever there are any (and the table always).
  const encryption =
    images.encryption ?? (props.encryptionKey && store ? ImageEncryption.KMS : ImageEncryption.S3_MANAGED);
  if (!Object.values(ImageEncryption).includes(encryption)) {
    problem(
      'images.encryption',
      `images.encryption must be one of ${Object.values(ImageEncryption).join(', ')} ${got(encryption)}`,
    );
  }
  if (encryption === ImageEncryption.KMS && !store) {
    problem(
      'images.encryption',
      'images.encryption ImageEncryption.KMS needs images.store: there is no bucket to encrypt',
    );
  }
  const retentionDays = duration(
    'images.retention',
    images.retention,
    CONSTRUCT_DEFAULTS.imageRetention.toDays(),
    'days',
    CONSTRUCT_LIMITS.imageRetentionDays,
  );
  const serverAccessLogs = bool(
    'images.serverAccessLogs',
    images.serverAccessLogs,
    CONSTRUCT_DEFAULTS.serverAccessLogs,
  );
  const defaultAuditImagesLimit = number(
    'images.defaultAuditImagesLimit',
    images.defaultAuditImagesLimit,
    HANDLER_DEFAULTS.defaultAuditImagesLimit,
    SETTING_RANGES.defaultAuditImagesLimit,
  );
  const presignedUrlTtlSeconds = duration(
    'images.presignedUrlTtl',
    images.presignedUrlTtl,
    HANDLER_DEFAULTS.presignedUrlTtlSeconds,
    'seconds',
    SETTING_RANGES.presignedUrlTtlSeconds,
  );

  // Retention and removal.
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  if (removalPolicy !== RemovalPolicy.RETAIN && removalPolicy !== RemovalPolicy.DESTROY) {
    problem(
      'removalPolicy',
      `removalPolicy must be RemovalPolicy.RETAIN or RemovalPolicy.DESTROY (got ${removalPolicy})`,
    );
  }
  const logRetentionDays = props.logRetention ?? CONSTRUCT_DEFAULTS.logRetentionDays;
  if (!isToken(logRetentionDays) && !(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    problem(
      'logRetention',
      `logRetention must be one of ${LOG_RETENTION_DAYS.join(', ')} days ${got(logRetentionDays)}`,
    );
  }
  const verdictRetentionDays = duration(
    'verdictRetention',
    props.verdictRetention,
    HANDLER_DEFAULTS.verdictRetentionDays,
    'days',
    SETTING_RANGES.verdictRetentionDays,
  );

  // The lockout.
  const lockout = props.lockout ?? {};
  const lockoutMaxFailures = number(
    'lockout.maxFailures',
    lockout.maxFailures,
    HANDLER_DEFAULTS.lockoutMaxFailures,
    SETTING_RANGES.lockoutMaxFailures,
  );
  const lockoutWindowSeconds = duration(
    'lockout.window',
    lockout.window,
    HANDLER_DEFAULTS.lockoutWindowSeconds,
    'seconds',
    SETTING_RANGES.lockoutWindowSeconds,
  );
  const lockoutSeconds = duration(
    'lockout.duration',
    lockout.duration,
    HANDLER_DEFAULTS.lockoutSeconds,
    'seconds',
    SETTING_RANGES.lockoutSeconds,
  );
  const lockoutBackoffFactor = number(
    'lockout.backoffFactor',
    lockout.backoffFactor,
    HANDLER_DEFAULTS.lockoutBackoffFactor,
    SETTING_RANGES.lockoutBackoffFactor,
    false,
  );
  const lockoutMaxSeconds = duration(
    'lockout.maxDuration',
    lockout.maxDuration,
    HANDLER_DEFAULTS.lockoutMaxSeconds,
    'seconds',
    SETTING_RANGES.lockoutMaxSeconds,
  );
  if (!isToken(lockoutSeconds) && !isToken(lockoutMaxSeconds)) {
    const cap = lockoutCapProblem(lockoutSeconds, lockoutMaxSeconds, {
      seconds: 'lockout.duration',
      maxSeconds: 'lockout.maxDuration',
    });
    if (cap !== undefined) problem('lockout.maxDuration', `${cap} seconds`);
  }

  // The API's edge.
  const throttling = {
    rateLimit: number(
      'throttling.rateLimit',
      props.throttling?.rateLimit,
      CONSTRUCT_DEFAULTS.throttlingRateLimit,
      CONSTRUCT_LIMITS.throttlingRateLimit,
    ),
    burstLimit: number(
      'throttling.burstLimit',
      props.throttling?.burstLimit,
      CONSTRUCT_DEFAULTS.throttlingBurstLimit,
      CONSTRUCT_LIMITS.throttlingBurstLimit,
    ),
  };
  const firewall = {
    enabled: bool('firewall.enabled', props.firewall?.enabled, CONSTRUCT_DEFAULTS.firewallEnabled),
    rateLimitPerIp: number(
      'firewall.rateLimitPerIp',
      props.firewall?.rateLimitPerIp,
      CONSTRUCT_DEFAULTS.firewallRateLimitPerIp,
      CONSTRUCT_LIMITS.firewallRateLimitPerIp,
    ),
  };

  // The functions.
  const functions = props.functions ?? {};
  const functionTimeoutSeconds = duration(
    'functions.timeout',
    functions.timeout,
    CONSTRUCT_DEFAULTS.functionTimeout.toSeconds(),
    'seconds',
    CONSTRUCT_LIMITS.functionTimeoutSeconds,
  );
  const sdkTimeoutMs = duration(
    'functions.sdkTimeout',
    functions.sdkTimeout,
    HANDLER_DEFAULTS.sdkTimeoutMs,
    'milliseconds',
    SETTING_RANGES.sdkTimeoutMs,
  );
  const sdkMaxAttempts = number(
    'functions.sdkMaxAttempts',
    functions.sdkMaxAttempts,
    HANDLER_DEFAULTS.sdkMaxAttempts,
    SETTING_RANGES.sdkMaxAttempts,
  );
  if (
    ![sdkTimeoutMs, sdkMaxAttempts, functionTimeoutSeconds].some(isToken) &&
    sdkTimeoutMs * sdkMaxAttempts >= functionTimeoutSeconds * 1000
  ) {
    problem(
      'functions.sdkTimeout',
      `functions.sdkTimeout × functions.sdkMaxAttempts (${sdkTimeoutMs * sdkMaxAttempts} ms) must stay below functions.timeout (${functionTimeoutSeconds} s), so a slow call ends as a clean 504, not a killed function`,
    );
  }
  const pollRetryAfterSeconds = duration(
    'functions.pollRetryAfter',
    functions.pollRetryAfter,
    HANDLER_DEFAULTS.pollRetryAfterSeconds,
    'seconds',
    SETTING_RANGES.pollRetryAfterSeconds,
  );
  const traceAwsCalls = bool('functions.traceAwsCalls', functions.traceAwsCalls, HANDLER_DEFAULTS.traceAwsCalls);
  const apiTracing = bool(
    'stageOptions.tracingEnabled',
    props.stageOptions?.tracingEnabled,
    CONSTRUCT_DEFAULTS.apiTracing,
  );

  // Monitoring.
  const monitoring = props.monitoring ?? {};
  const alarms = bool('monitoring.alarms', monitoring.alarms, CONSTRUCT_DEFAULTS.alarms);
  const dashboard = bool('monitoring.dashboard', monitoring.dashboard, CONSTRUCT_DEFAULTS.dashboard);
  if (monitoring.alarmEmail !== undefined && !isToken(monitoring.alarmEmail)) {
    if (typeof monitoring.alarmEmail !== 'string' || !EMAIL_PATTERN.test(monitoring.alarmEmail))
      problem('monitoring.alarmEmail', `monitoring.alarmEmail must be an e-mail address ${got(monitoring.alarmEmail)}`);
    else if (!alarms)
      problem(
        'monitoring.alarmEmail',
        'monitoring.alarmEmail needs monitoring.alarms: with alarms off there is nothing to notify about',
      );
  }
  const t = monitoring.thresholds ?? {};
  const d = CONSTRUCT_DEFAULTS.thresholds;
  const L = CONSTRUCT_LIMITS;
  const at = (name: string) => `monitoring.thresholds.${name}`;
  duration(at('latencyP99'), t.latencyP99, d.latencyP99.toMilliseconds(), 'milliseconds', L.latencyP99Ms);
  const thresholds: ResolvedThresholds = {
    serverErrorPercent: number(
      at('serverErrorPercent'),
      t.serverErrorPercent,
      d.serverErrorPercent,
      L.serverErrorPercent,
    ),
    latencyP99: t.latencyP99 ?? d.latencyP99,
    functionErrors: number(at('functionErrors'), t.functionErrors, d.functionErrors, L.functionErrors),
    functionThrottles: number(at('functionThrottles'), t.functionThrottles, d.functionThrottles, L.functionThrottles),
    upstreamThrottles: number(at('upstreamThrottles'), t.upstreamThrottles, d.upstreamThrottles, L.upstreamThrottles),
    upstreamServerErrors: number(
      at('upstreamServerErrors'),
      t.upstreamServerErrors,
      d.upstreamServerErrors,
      L.upstreamServerErrors,
    ),
    failedCheckPercent: number(
      at('failedCheckPercent'),
      t.failedCheckPercent,
      d.failedCheckPercent,
      L.failedCheckPercent,
    ),
    lockoutsStarted: number(at('lockoutsStarted'), t.lockoutsStarted, d.lockoutsStarted, L.lockoutsStarted),
    wafBlockedRequests: number(
      at('wafBlockedRequests'),
      t.wafBlockedRequests,
      d.wafBlockedRequests,
      L.wafBlockedRequests,
    ),
    minSamples: number(at('minSamples'), t.minSamples, d.minSamples, L.minSamples),
  };
  const allowGuestAccess = bool('allowGuestAccess', props.allowGuestAccess, CONSTRUCT_DEFAULTS.allowGuestAccess);
  const restrictToRegion = bool('restrictToRegion', props.restrictToRegion, CONSTRUCT_DEFAULTS.restrictToRegion);
  const allowUnsupportedRegion = bool(
    'allowUnsupportedRegion',
    props.allowUnsupportedRegion,
    CONSTRUCT_DEFAULTS.allowUnsupportedRegion,
  );

  // Identity verification.
  let identity: ResolvedIdentity | undefined;
  if (props.identity !== undefined) {
    const id = props.identity;
    const similarityThreshold = number(
      'identity.similarityThreshold',
      id.similarityThreshold,
      DEFAULT_SIMILARITY_THRESHOLD,
      SIMILARITY_RANGE,
      false,
    );
    const enrolment = bool('identity.enrolment', id.enrolment, true);
    const checkTtlSeconds = duration(
      'identity.checkTtl',
      id.checkTtl,
      CHECK_TTL_SECONDS.default,
      'seconds',
      CHECK_TTL_SECONDS,
    );
    const sources = id.referencePhotoSources ?? [];
    sources.forEach((source, i) => {
      const path = `identity.referencePhotoSources[${i}].prefix`;
      if (!isToken(source.prefix) && (typeof source.prefix !== 'string' || !REFERENCE_PREFIX.test(source.prefix)))
        problem(path, `${path} must be 1–950 characters without whitespace, not starting with / ${got(source.prefix)}`);
    });
    if (!store)
      problem(
        'identity',
        'identity needs images.store: reference photos sent as bytes are kept in the image bucket until the verdict',
      );
    identity = { similarityThreshold, enrolment, checkTtlSeconds, referencePhotoSources: sources };
  }

  if (problems.length > 0) throw new FaceLivenessValidationError(problems);
  return {
    ...(identity !== undefined && { identity }),
    handler: {
      authMode: authorization,
      allowedOrigins,
      confidenceThreshold,
      exposeDetails,
      defaultAuditImagesLimit,
      allowedChallenges,
      attestationTtlSeconds,
      presignedUrlTtlSeconds,
      pollRetryAfterSeconds,
      sdkTimeoutMs,
      sdkMaxAttempts,
      verdictRetentionDays,
      lockoutMaxFailures,
      lockoutWindowSeconds,
      lockoutSeconds,
      lockoutBackoffFactor,
      lockoutMaxSeconds,
      traceAwsCalls,
      ...(minChallengeVersions !== undefined && { minChallengeVersions }),
    },
    authorization,
    images: { store, retentionDays, encryption, serverAccessLogs },
    attestation: {
      ...(props.attestation?.issuer !== undefined && { issuer: props.attestation.issuer }),
      ...(props.attestation?.audience !== undefined && { audience: props.attestation.audience }),
    },
    removalPolicy,
    logRetentionDays,
    throttling,
    firewall,
    allowGuestAccess,
    restrictToRegion,
    allowUnsupportedRegion,
    functionTimeoutSeconds,
    apiTracing,
    monitoring: {
      alarms,
      dashboard,
      ...(monitoring.alarmEmail !== undefined && { alarmEmail: monitoring.alarmEmail }),
      thresholds,
    },
  };
}

/** A reference-photo prefix: S3 key characters, no whitespace, not empty (a whole bucket is never read). */
const REFERENCE_PREFIX = /^[^/\s]\S{0,949}$/;

/** The per-challenge minimums keyed by Rekognition's challenge types, as the handlers read them. */
function minVersionsByType(minVersions: LivenessChallengeMinVersions | undefined): ChallengeMinVersions | undefined {
  if (minVersions === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [key, type] of Object.entries(MIN_VERSION_CHALLENGES)) {
    const version = minVersions[key as keyof LivenessChallengeMinVersions];
    if (version !== undefined) out[type] = version;
  }
  return out;
}

/** Props combinations that cannot work: one message naming both props. */
function conflicts(props: FaceLivenessBackendProps): FaceLivenessProblem[] {
  const problems: FaceLivenessProblem[] = [];
  const problem = (propPath: string, message: string) => problems.push({ propPath, message });
  if (props.existingBrowserRoles !== undefined && props.allowGuestAccess !== undefined) {
    problem(
      'allowGuestAccess',
      'allowGuestAccess cannot be combined with existingBrowserRoles: guest access is a setting of the identity pool, and with existingBrowserRoles the construct creates none (set it on your own identity pool)',
    );
  }
  if (props.existingBrowserRoles !== undefined && props.existingBrowserRoles.length === 0) {
    problem(
      'existingBrowserRoles',
      'existingBrowserRoles must list at least one role (leave it out to let the construct create an identity pool)',
    );
  }
  if (props.existingBrowserRoles !== undefined && props.userPoolClient !== undefined) {
    problem(
      'userPoolClient',
      'userPoolClient cannot be combined with existingBrowserRoles: it is the login provider of the identity pool the construct creates, and with existingBrowserRoles it creates none',
    );
  }
  if (props.existingBrowserRoles !== undefined && props.authenticationProviders !== undefined) {
    problem(
      'authenticationProviders',
      'authenticationProviders cannot be combined with existingBrowserRoles: they are the login providers of the identity pool the construct creates, and with existingBrowserRoles it creates none (add them to your own identity pool)',
    );
  }
  if (props.userPoolClient !== undefined && props.userPool === undefined) {
    problem(
      'userPoolClient',
      'userPoolClient needs userPool: the client belongs to a user pool the identity pool trusts',
    );
  }
  if (props.authorization === LivenessAuthorization.COGNITO && props.userPool === undefined) {
    problem(
      'userPool',
      "authorization LivenessAuthorization.COGNITO needs userPool: the API authorizer accepts that pool's tokens",
    );
  }
  if (props.encryptionKey !== undefined && props.images?.encryption === ImageEncryption.S3_MANAGED) {
    problem(
      'encryptionKey',
      'encryptionKey cannot be combined with images.encryption ImageEncryption.S3_MANAGED: the key encrypts the images (use ImageEncryption.KMS or leave images.encryption unset)',
    );
  }
  const images = props.images ?? {};
  if (images.existingBucket !== undefined) {
    if (images.store === false) {
      problem(
        'images.existingBucket',
        'images.existingBucket cannot be combined with images.store false: without stored images there is no bucket to use (drop one of them)',
      );
    }
    for (const name of ['retention', 'encryption', 'serverAccessLogs'] as const) {
      if (images[name] !== undefined) {
        problem(
          'images.existingBucket',
          `images.existingBucket cannot be combined with images.${name}: it configures a bucket the construct creates (configure your own bucket instead)`,
        );
      }
    }
  }
  if (props.stageOptions?.methodOptions?.['/*/*'] !== undefined) {
    problem(
      "stageOptions.methodOptions['/*/*']",
      "stageOptions.methodOptions '/*/*' cannot be combined with throttling: the stage-wide method settings are the construct's (set stage-wide throttling with throttling, per-method options under their own paths)",
    );
  }
  // Gone in favour of minVersions: a JavaScript caller (or a cast) passing it would otherwise be silently ignored.
  if ((props.challenges as { minVersion?: unknown } | undefined)?.minVersion !== undefined) {
    problem(
      'challenges.minVersion',
      'challenges.minVersion is replaced by challenges.minVersions, one minimum per challenge (e.g. { faceMovementAndLight: "2.0.0", faceMovement: "1.0.0" })',
    );
  }
  for (const key of Object.keys(props.challenges?.minVersions ?? {})) {
    if (!(key in MIN_VERSION_CHALLENGES))
      problem(
        `challenges.minVersions.${key}`,
        `challenges.minVersions.${key} is not a challenge: use ${Object.keys(MIN_VERSION_CHALLENGES).join(' or ')}`,
      );
  }
  if (props.monitoring?.alarmTopic !== undefined && props.monitoring.alarmEmail !== undefined) {
    problem(
      'monitoring.alarmEmail',
      'monitoring.alarmTopic and monitoring.alarmEmail: pass one (subscribe the address to your own topic yourself)',
    );
  }
  return problems;
}
