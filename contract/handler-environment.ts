/**
 * The handlers' environment, declared once: the variable names, and for each setting the handlers read, the setting
 * it carries and how it is written (by the construct, lib/face-liveness-backend.ts, and by local mode) and parsed back
 * (by the handlers at cold start, lambda/shared/config.ts). Tests build their environment from the same mapping.
 */
import { originProblems } from './cors';
import {
  AUTH_MODES,
  HANDLER_SETTING_DEFAULTS,
  allowedChallengesProblem,
  minChallengeVersionsProblems,
  SETTING_RANGES,
  inRange,
  lockoutCapProblem,
  type HandlerSettings,
  type Range,
} from './setting-rules';

export const HANDLER_ENV = {
  /** Comma-separated allowed CORS origins; `*` only if the operator set it. */
  ALLOWED_ORIGINS: 'ALLOWED_ORIGINS',
  /** Bucket for reference and audit images. Unset: images come back as bytes and are not stored. */
  IMAGE_BUCKET: 'IMAGE_BUCKET',
  /** Key prefix for images in that bucket, ending in `/`. */
  IMAGE_KEY_PREFIX: 'IMAGE_KEY_PREFIX',
  /** KMS key for the images, passed to CreateFaceLivenessSession as KmsKeyId. */
  KMS_KEY_ID: 'KMS_KEY_ID',
  /** Comma-separated challenges a client may ask for, preferred first; a result reporting another one is not live. */
  ALLOWED_CHALLENGES: 'ALLOWED_CHALLENGES',
  /**
   * Lowest version a live result may report, per challenge: `Type=major.minor.patch` pairs, comma-separated (e.g.
   * `FaceMovementAndLightChallenge=2.0.0,FaceMovementChallenge=1.0.0`); a type left out, or unset: any version.
   */
  MIN_CHALLENGE_VERSIONS: 'MIN_CHALLENGE_VERSIONS',
  /** Audit images per session, a floor the client cannot lower (0–4). */
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
  /** The asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs verdict attestations: its ARN. */
  ATTESTATION_KEY_ID: 'ATTESTATION_KEY_ID',
  /** The `iss` of attestations. */
  ATTESTATION_ISSUER: 'ATTESTATION_ISSUER',
  /** The `aud` of attestations: the app they are for. Unset: attestations carry no `aud`. */
  ATTESTATION_AUDIENCE: 'ATTESTATION_AUDIENCE',
  /** Lifetime of an attestation (`exp - iat`), seconds. */
  ATTESTATION_TTL_SECONDS: 'ATTESTATION_TTL_SECONDS',
  /**
   * The key of the logs' `ownerRef` (an HMAC): a CloudFormation dynamic reference to a Secrets Manager secret generated
   * at deploy time, resolved into the function's configuration, never in the template. Unset: a per-instance key.
   */
  OWNER_REF_KEY: 'OWNER_REF_KEY',
  /**
   * Identity verification (contract/identity.ts): the similarity threshold floor (0–100). Set: identity verification
   * is on (the backend routes exist); unset: off.
   */
  IDENTITY_SIMILARITY_THRESHOLD: 'IDENTITY_SIMILARITY_THRESHOLD',
  /** The Rekognition face collection of enrolled subjects; unset: enrolment is off (methods `enrol`, `enrolled`). */
  IDENTITY_COLLECTION_ID: 'IDENTITY_COLLECTION_ID',
  /** Comma-separated `bucket/prefix` pairs the identity function may read reference photos from (`s3Object`). */
  IDENTITY_REFERENCE_PHOTO_SOURCES: 'IDENTITY_REFERENCE_PHOTO_SOURCES',
  /** How long an identity check waits to be bound to a session, seconds. */
  IDENTITY_CHECK_TTL_SECONDS: 'IDENTITY_CHECK_TTL_SECONDS',
  /** `true`: each AWS SDK call of the handlers becomes an X-Ray subsegment (Powertools Tracer, lambda/shared/clients.ts). */
  TRACE_AWS_CALLS: 'TRACE_AWS_CALLS',
  /**
   * Powertools Logger: lines below this level are dropped (DEBUG, INFO, WARN, ERROR, SILENT); Lambda's
   * AWS_LAMBDA_LOG_LEVEL wins. Powertools' other variables (POWERTOOLS_LOGGER_SAMPLE_RATE, …) work as documented there.
   */
  POWERTOOLS_LOG_LEVEL: 'POWERTOOLS_LOG_LEVEL',
  /** Powertools: the `service` of every log line and metric. */
  POWERTOOLS_SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools Metrics: the CloudWatch namespace of the handlers' metrics. */
  POWERTOOLS_METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  /** Powertools Metrics: `true` writes no metrics (local mode and tests). Never set by the construct. */
  POWERTOOLS_METRICS_DISABLED: 'POWERTOOLS_METRICS_DISABLED',
  /** Local mode only: the local KMS stand-in's URL. Never set by the construct. */
  KMS_ENDPOINT: 'KMS_ENDPOINT',
  /** Local mode only: the Rekognition emulator's URL. Never set by the construct. */
  REKOGNITION_ENDPOINT: 'REKOGNITION_ENDPOINT',
  /** Local mode only: the local S3's URL (path-style). Never set by the construct. */
  S3_ENDPOINT: 'S3_ENDPOINT',
  /** Local mode only: the local DynamoDB's URL (dynalite, local/dynamodb.ts). Never set by the construct. */
  DYNAMODB_ENDPOINT: 'DYNAMODB_ENDPOINT',
} as const;

export type HandlerEnvName = keyof typeof HANDLER_ENV;

/** Key prefix of stored images in the image bucket; Rekognition generates the object names below it. */
export const IMAGE_KEY_PREFIX = 'liveness/';

/** The values the construct sets for the handlers' logs and metrics: Powertools' own variables. */
export const TELEMETRY_ENVIRONMENT = {
  [HANDLER_ENV.POWERTOOLS_SERVICE_NAME]: 'face-liveness',
  [HANDLER_ENV.POWERTOOLS_METRICS_NAMESPACE]: 'FaceLiveness',
  [HANDLER_ENV.POWERTOOLS_LOG_LEVEL]: 'INFO',
} as const;

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly string[] };

/** How one kind of value travels through an environment variable. */
export interface VariableKind<T> {
  write(value: T): string;
  parse(raw: string, name: string): Parsed<T>;
}

/** The problem line for a variable that breaks its rule; long values are cut so a log line stays readable. */
export function variableProblem(name: string, rule: string, raw: string): string {
  return `${name} must be ${rule} (got ${JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw)})`;
}

function checked<T>(
  rule: string,
  parse: (raw: string) => T | undefined,
  write: (value: T) => string = String,
): VariableKind<T> {
  return {
    write,
    parse(raw, name) {
      const value = parse(raw);
      return value === undefined ? { ok: false, problems: [variableProblem(name, rule, raw)] } : { ok: true, value };
    },
  };
}

const integer = (range: Range) =>
  checked(`an integer from ${range.min} to ${range.max}`, (raw) =>
    /^-?\d+$/.test(raw) && inRange(Number(raw), range, true) ? Number(raw) : undefined,
  );
const decimal = (range: Range) =>
  checked(`a number from ${range.min} to ${range.max}`, (raw) =>
    /^-?\d+(\.\d+)?$/.test(raw) && inRange(Number(raw), range, false) ? Number(raw) : undefined,
  );
const boolean = checked<boolean>('true or false', (raw) =>
  raw === 'true' ? true : raw === 'false' ? false : undefined,
);
const oneOf = <T extends string>(allowed: readonly T[]) =>
  checked<T>(`one of ${allowed.join(', ')}`, (raw) =>
    (allowed as readonly string[]).includes(raw) ? (raw as T) : undefined,
  );
const challenges: VariableKind<HandlerSettings['allowedChallenges']> = {
  write: (value) => value.join(','),
  parse(raw, name) {
    const list = raw.split(',').map((c) => c.trim());
    const problem = allowedChallengesProblem(list, name);
    return problem === undefined
      ? { ok: true, value: list as HandlerSettings['allowedChallenges'] }
      : { ok: false, problems: [problem] };
  },
};
const challengeMinimums: VariableKind<HandlerSettings['minChallengeVersions']> = {
  // Never called with undefined: handlerEnvironment() leaves an unset optional setting out.
  write: (value) =>
    Object.entries(value ?? {})
      .map(([type, version]) => `${type}=${version}`)
      .join(','),
  parse(raw, name) {
    const value: Record<string, string> = {};
    const problems: string[] = [];
    for (const item of raw.split(',').map((i) => i.trim())) {
      const [type, version, ...rest] = item.split('=').map((p) => p.trim());
      if (type === undefined || type === '' || version === undefined || rest.length > 0 || type in value) {
        problems.push(variableProblem(name, 'distinct Type=1.0.0 pairs, comma-separated', raw));
        break;
      }
      value[type] = version;
    }
    // Whether each type is allowed is checked across both variables (readHandlerSettings).
    if (problems.length === 0) problems.push(...minChallengeVersionsProblems(value, name));
    return problems.length === 0 ? { ok: true, value } : { ok: false, problems };
  },
};
const origins: VariableKind<readonly string[]> = {
  write: (value) => value.join(','),
  parse(raw, name) {
    const list = raw
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o.length > 0);
    const problems = originProblems(list, name);
    return problems.length === 0 ? { ok: true, value: list } : { ok: false, problems };
  },
};

export interface SettingVariable<K extends keyof HandlerSettings = keyof HandlerSettings> {
  readonly name: HandlerEnvName;
  readonly setting: K;
  readonly kind: VariableKind<HandlerSettings[K]>;
  /** Required: the handlers refuse to start without it. Otherwise an unset variable means the default. */
  readonly required?: boolean;
}

const variable = <K extends keyof HandlerSettings>(
  name: HandlerEnvName,
  setting: K,
  kind: VariableKind<HandlerSettings[K]>,
  required = false,
): SettingVariable<K> => ({ name, setting, kind, required });

/** Every setting the handlers read: its variable, and how it is written and parsed. */
export const SETTING_VARIABLES: readonly SettingVariable[] = [
  variable('AUTH_MODE', 'authMode', oneOf(AUTH_MODES), true),
  variable('ALLOWED_ORIGINS', 'allowedOrigins', origins, true),
  variable('CONFIDENCE_THRESHOLD', 'confidenceThreshold', decimal(SETTING_RANGES.confidenceThreshold), true),
  variable('EXPOSE_DETAILS', 'exposeDetails', boolean),
  variable('ALLOWED_CHALLENGES', 'allowedChallenges', challenges),
  variable('MIN_CHALLENGE_VERSIONS', 'minChallengeVersions', challengeMinimums),
  variable('DEFAULT_AUDIT_IMAGES_LIMIT', 'defaultAuditImagesLimit', integer(SETTING_RANGES.defaultAuditImagesLimit)),
  variable('ATTESTATION_TTL_SECONDS', 'attestationTtlSeconds', integer(SETTING_RANGES.attestationTtlSeconds)),
  variable('PRESIGNED_URL_TTL_SECONDS', 'presignedUrlTtlSeconds', integer(SETTING_RANGES.presignedUrlTtlSeconds)),
  variable('POLL_RETRY_AFTER_SECONDS', 'pollRetryAfterSeconds', integer(SETTING_RANGES.pollRetryAfterSeconds)),
  variable('SDK_TIMEOUT_MS', 'sdkTimeoutMs', integer(SETTING_RANGES.sdkTimeoutMs)),
  variable('SDK_MAX_ATTEMPTS', 'sdkMaxAttempts', integer(SETTING_RANGES.sdkMaxAttempts)),
  variable('VERDICT_RETENTION_DAYS', 'verdictRetentionDays', integer(SETTING_RANGES.verdictRetentionDays)),
  variable('LOCKOUT_MAX_FAILURES', 'lockoutMaxFailures', integer(SETTING_RANGES.lockoutMaxFailures)),
  variable('LOCKOUT_WINDOW_SECONDS', 'lockoutWindowSeconds', integer(SETTING_RANGES.lockoutWindowSeconds)),
  variable('LOCKOUT_SECONDS', 'lockoutSeconds', integer(SETTING_RANGES.lockoutSeconds)),
  variable('LOCKOUT_BACKOFF_FACTOR', 'lockoutBackoffFactor', decimal(SETTING_RANGES.lockoutBackoffFactor)),
  variable('LOCKOUT_MAX_SECONDS', 'lockoutMaxSeconds', integer(SETTING_RANGES.lockoutMaxSeconds)),
  variable('TRACE_AWS_CALLS', 'traceAwsCalls', boolean),
];

/** Where the images go, when they are stored. */
export interface ImageStorageEnvironment {
  readonly bucketName: string;
  /** Set when the images are encrypted with a customer-managed key. */
  readonly kmsKeyArn?: string;
}

/** The key that signs verdict attestations and their issuer (lambda/shared/attestation.ts). */
export interface AttestationEnvironment {
  readonly keyArn: string;
  readonly issuer: string;
  readonly audience?: string;
}

/**
 * The environment both handlers get. It holds configuration only, so both functions get all of it: the handlers
 * validate their configuration once at cold start, and a variable one of them does not read costs nothing. The one
 * secret, OWNER_REF_KEY, is a dynamic reference the construct adds (its value is never in the template).
 * The local-only variables (the endpoint overrides, POWERTOOLS_METRICS_DISABLED) are never set here.
 */
export function handlerEnvironment(
  settings: HandlerSettings,
  images?: ImageStorageEnvironment,
  sessionTableName?: string,
  attestation?: AttestationEnvironment,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of SETTING_VARIABLES) {
    const value = settings[v.setting];
    // An optional setting left unset (minChallengeVersions) is left out: the handlers read that as unset.
    if (value !== undefined) env[v.name] = (v.kind as VariableKind<unknown>).write(value);
  }
  Object.assign(env, TELEMETRY_ENVIRONMENT);
  // The construct always passes its table; without one (a harness that fakes AWS) the handlers refuse to start.
  if (sessionTableName !== undefined) env[HANDLER_ENV.SESSION_TABLE_NAME] = sessionTableName;
  // The construct always passes its key; without one (a harness without KMS) results carry no attestation.
  if (attestation) {
    env[HANDLER_ENV.ATTESTATION_KEY_ID] = attestation.keyArn;
    env[HANDLER_ENV.ATTESTATION_ISSUER] = attestation.issuer;
    if (attestation.audience !== undefined) env[HANDLER_ENV.ATTESTATION_AUDIENCE] = attestation.audience;
  }
  if (images) {
    env[HANDLER_ENV.IMAGE_BUCKET] = images.bucketName;
    env[HANDLER_ENV.IMAGE_KEY_PREFIX] = IMAGE_KEY_PREFIX;
    if (images.kmsKeyArn) env[HANDLER_ENV.KMS_KEY_ID] = images.kmsKeyArn;
  }
  return env;
}

/**
 * The JWK Set function's whole environment: the attestation key it reads the public half of, its SDK call limits and
 * its telemetry. It serves a public key to anyone, so it gets nothing else: no ownerRef key, no table, no bucket, no
 * setting of the other two functions.
 */
export function jwksEnvironment(
  attestationKeyArn: string,
  sdk: Pick<HandlerSettings, 'sdkTimeoutMs' | 'sdkMaxAttempts'>,
): Record<string, string> {
  return {
    [HANDLER_ENV.ATTESTATION_KEY_ID]: attestationKeyArn,
    [HANDLER_ENV.SDK_TIMEOUT_MS]: String(sdk.sdkTimeoutMs),
    [HANDLER_ENV.SDK_MAX_ATTEMPTS]: String(sdk.sdkMaxAttempts),
    ...TELEMETRY_ENVIRONMENT,
  };
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** An empty or blank value is how a deployment tool usually says "unset". */
export function readVariable(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export interface HandlerSettingsReading {
  readonly settings: HandlerSettings;
  readonly problems: readonly string[];
  /** Kept apart so that even a misconfiguration answer can pass CORS when the origins alone are valid. */
  readonly allowedOrigins?: readonly string[];
}

/** Reads back every setting handlerEnvironment() writes, collecting all problems rather than stopping at the first. */
export function readHandlerSettings(env: Environment): HandlerSettingsReading {
  const problems: string[] = [];
  const settings: Record<string, unknown> = { ...HANDLER_SETTING_DEFAULTS };
  let allowedOrigins: readonly string[] | undefined;
  for (const v of SETTING_VARIABLES) {
    const raw = readVariable(env, v.name);
    if (raw === undefined) {
      if (v.required) problems.push(`${v.name} is required`);
      continue;
    }
    const parsed = v.kind.parse(raw, v.name);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    settings[v.setting] = parsed.value;
    if (v.setting === 'allowedOrigins') allowedOrigins = parsed.value as readonly string[];
  }
  const s = settings as unknown as HandlerSettings;
  const cap = lockoutCapProblem(s.lockoutSeconds, s.lockoutMaxSeconds, {
    seconds: HANDLER_ENV.LOCKOUT_SECONDS,
    maxSeconds: HANDLER_ENV.LOCKOUT_MAX_SECONDS,
  });
  if (cap !== undefined) problems.push(cap);
  if (s.minChallengeVersions !== undefined)
    problems.push(
      ...minChallengeVersionsProblems(s.minChallengeVersions, HANDLER_ENV.MIN_CHALLENGE_VERSIONS, {
        value: s.allowedChallenges,
        name: HANDLER_ENV.ALLOWED_CHALLENGES,
      }),
    );
  return { settings: s, problems, ...(allowedOrigins !== undefined && { allowedOrigins }) };
}

/** Identity verification's part of the handlers' environment (contract/identity.ts); none when it is off. */
export interface IdentityEnvironment {
  readonly similarityThreshold: number;
  /** The face collection; unset: enrolment off. */
  readonly collectionId?: string;
  readonly referencePhotoSources?: readonly { readonly bucket: string; readonly prefix: string }[];
  readonly checkTtlSeconds?: number;
}

/** The variables of identity verification, added to handlerEnvironment()'s when the construct's `identity` is set. */
export function identityEnvironment(identity: IdentityEnvironment): Record<string, string> {
  return {
    [HANDLER_ENV.IDENTITY_SIMILARITY_THRESHOLD]: String(identity.similarityThreshold),
    ...(identity.collectionId !== undefined && { [HANDLER_ENV.IDENTITY_COLLECTION_ID]: identity.collectionId }),
    ...(identity.referencePhotoSources !== undefined &&
      identity.referencePhotoSources.length > 0 && {
        [HANDLER_ENV.IDENTITY_REFERENCE_PHOTO_SOURCES]: identity.referencePhotoSources
          .map((s) => `${s.bucket}/${s.prefix}`)
          .join(','),
      }),
    ...(identity.checkTtlSeconds !== undefined && {
      [HANDLER_ENV.IDENTITY_CHECK_TTL_SECONDS]: String(identity.checkTtlSeconds),
    }),
  };
}
