/**
 * The handlers' configuration, read from the environment once per cold start and validated as a whole.
 *
 * A bad value does not throw at import: that would surface as an opaque `Runtime.ImportModuleError` on every call.
 * Instead the problems are kept and every request answers 500 BACKEND_MISCONFIGURED with the problems in the log.
 */
import {
  HANDLER_ENV,
  readHandlerSettings,
  readVariable,
  variableProblem,
  type Environment,
} from '../../contract/handler-environment';
import type { ChallengeType } from '../../contract/liveness-model';
import { REGION_PATTERN } from '../../contract/regions';
import type { AuthMode, ChallengeMinVersions } from '../../contract/setting-rules';

export interface HandlerConfig {
  /** The Lambda's region: the SDK clients use it and the browser must stream to it. */
  readonly region: string;
  /** Exact origins allowed by CORS, or `['*']`. */
  readonly allowedOrigins: readonly string[];
  readonly confidenceThreshold: number;
  readonly exposeDetails: boolean;
  /** Unset: Rekognition returns images as bytes and stores nothing. */
  readonly imageBucket?: string;
  /** Only objects under this prefix of `imageBucket` are ever presigned. */
  readonly imageKeyPrefix: string;
  readonly kmsKeyId?: string;
  readonly defaultAuditImagesLimit: number;
  readonly challengePolicy: ChallengePolicy;
  readonly presignedUrlTtlSeconds: number;
  readonly pollRetryAfterSeconds: number;
  readonly sdkTimeoutMs: number;
  readonly sdkMaxAttempts: number;
  readonly rekognitionEndpoint?: string;
  readonly s3Endpoint?: string;
  /** Where the session owner comes from (lambda/shared/identity.ts). */
  readonly authMode: AuthMode;
  readonly sessionTableName: string;
  readonly verdictRetentionDays: number;
  readonly lockout: LockoutPolicy;
  readonly dynamodbEndpoint?: string;
  /** Each AWS SDK call becomes an X-Ray subsegment (lambda/shared/tracing.ts). */
  readonly traceAwsCalls: boolean;
  /** Unset: results carry no attestation (a harness without KMS); the construct always sets it. */
  readonly attestation?: {
    readonly keyId: string;
    readonly issuer: string;
    readonly ttlSeconds: number;
    /** The `aud` claim; unset: none. */
    readonly audience?: string;
  };
  readonly kmsEndpoint?: string;
  /** The ownerRef HMAC key; never logged. */
  readonly ownerRefKey?: string;
}

/** Which challenges a session may run, and so which results can be live (lambda/shared/challenge-policy.ts). */
export interface ChallengePolicy {
  /** Preferred first; never empty. */
  readonly allowed: readonly ChallengeType[];
  /** The lowest version a live result may report, per challenge type; a type left out: any version. */
  readonly minVersions?: ChallengeMinVersions;
}

/** The failure lockout (lambda/shared/lockout.ts), in milliseconds. */
export interface LockoutPolicy {
  /** 0: no lockout. */
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
  readonly backoffFactor: number;
  readonly maxLockoutMs: number;
}

export type ConfigState =
  | { readonly ok: true; readonly config: HandlerConfig }
  /** `allowedOrigins` is kept when it is valid on its own, so even a misconfiguration answer passes CORS. */
  | { readonly ok: false; readonly problems: readonly string[]; readonly allowedOrigins?: readonly string[] };

// The Rekognition model's rules for the resources it is given (docs/rekognition-facts.md).
const BUCKET = /^[0-9A-Za-z.\-_]{3,255}$/;
const KEY_PREFIX = /^\S{0,950}$/;
const KMS_KEY_ID = /^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2047}$/;
const ENDPOINT = /^https?:\/\/[^\s/]+\/?$/;
// The attestation audience's rule (lib/defaults.ts ATTESTATION_NAME_PATTERN).
const AUDIENCE = /^\S{1,256}$/;
// DynamoDB's own rule for table names.
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/**
 * Parses and checks every variable, collecting all problems rather than stopping at the first. The settings follow
 * the one mapping in contract/handler-environment.ts; the resources (region, bucket, key, table, endpoints) are
 * checked here.
 */
export function parseConfig(env: Environment): ConfigState {
  const { settings, problems: settingProblems, allowedOrigins } = readHandlerSettings(env);
  const problems = [...settingProblems];
  const required = (name: string): string | undefined => {
    const value = readVariable(env, name);
    if (value === undefined) problems.push(`${name} is required`);
    return value;
  };
  const matching = (name: string, pattern: RegExp, rule: string): string | undefined => {
    const raw = readVariable(env, name);
    if (raw !== undefined && !pattern.test(raw)) problems.push(variableProblem(name, rule, raw));
    return raw;
  };

  const region = required('AWS_REGION');
  if (region !== undefined && !REGION_PATTERN.test(region))
    problems.push(variableProblem('AWS_REGION', 'an AWS region such as eu-west-1', region));
  const imageBucket = matching(HANDLER_ENV.IMAGE_BUCKET, BUCKET, '3–255 characters of 0-9 A-Z a-z . - _');
  const imageKeyPrefix =
    matching(HANDLER_ENV.IMAGE_KEY_PREFIX, KEY_PREFIX, 'at most 950 characters without whitespace') ?? '';
  if (imageKeyPrefix !== '' && imageBucket === undefined)
    problems.push(`${HANDLER_ENV.IMAGE_KEY_PREFIX} is set but ${HANDLER_ENV.IMAGE_BUCKET} is not`);
  const kmsKeyId = matching(HANDLER_ENV.KMS_KEY_ID, KMS_KEY_ID, 'a KMS key id, ARN or alias');
  const sessionTableName = required(HANDLER_ENV.SESSION_TABLE_NAME);
  if (sessionTableName !== undefined && !TABLE_NAME.test(sessionTableName))
    problems.push(variableProblem(HANDLER_ENV.SESSION_TABLE_NAME, 'a DynamoDB table name', sessionTableName));
  const endpoint = (name: string) => matching(name, ENDPOINT, 'an http(s) URL without a path');
  const attestationKeyId = matching(HANDLER_ENV.ATTESTATION_KEY_ID, KMS_KEY_ID, 'a KMS key id or ARN');
  const attestationIssuer = readVariable(env, HANDLER_ENV.ATTESTATION_ISSUER);
  if (attestationKeyId !== undefined && attestationIssuer === undefined)
    problems.push(`${HANDLER_ENV.ATTESTATION_ISSUER} is required with ${HANDLER_ENV.ATTESTATION_KEY_ID}`);
  const attestationAudience = matching(
    HANDLER_ENV.ATTESTATION_AUDIENCE,
    AUDIENCE,
    '1–256 characters without whitespace, such as a URL',
  );
  const ownerRefKey = readVariable(env, HANDLER_ENV.OWNER_REF_KEY);
  // Its value is a secret: the problem names the rule, never the value.
  if (ownerRefKey !== undefined && ownerRefKey.length < 32)
    problems.push(`${HANDLER_ENV.OWNER_REF_KEY} must be at least 32 characters`);

  const config: HandlerConfig = {
    region: region ?? '',
    allowedOrigins: settings.allowedOrigins,
    confidenceThreshold: settings.confidenceThreshold,
    exposeDetails: settings.exposeDetails,
    ...(imageBucket !== undefined && { imageBucket }),
    imageKeyPrefix,
    ...(kmsKeyId !== undefined && { kmsKeyId }),
    defaultAuditImagesLimit: settings.defaultAuditImagesLimit,
    challengePolicy: {
      allowed: settings.allowedChallenges,
      ...(settings.minChallengeVersions !== undefined && { minVersions: settings.minChallengeVersions }),
    },
    presignedUrlTtlSeconds: settings.presignedUrlTtlSeconds,
    pollRetryAfterSeconds: settings.pollRetryAfterSeconds,
    sdkTimeoutMs: settings.sdkTimeoutMs,
    sdkMaxAttempts: settings.sdkMaxAttempts,
    ...optional('rekognitionEndpoint', endpoint(HANDLER_ENV.REKOGNITION_ENDPOINT)),
    ...optional('s3Endpoint', endpoint(HANDLER_ENV.S3_ENDPOINT)),
    authMode: settings.authMode,
    sessionTableName: sessionTableName ?? '',
    verdictRetentionDays: settings.verdictRetentionDays,
    lockout: {
      maxFailures: settings.lockoutMaxFailures,
      windowMs: settings.lockoutWindowSeconds * 1000,
      lockoutMs: settings.lockoutSeconds * 1000,
      backoffFactor: settings.lockoutBackoffFactor,
      maxLockoutMs: settings.lockoutMaxSeconds * 1000,
    },
    ...optional('dynamodbEndpoint', endpoint(HANDLER_ENV.DYNAMODB_ENDPOINT)),
    traceAwsCalls: settings.traceAwsCalls,
    ...(attestationKeyId !== undefined &&
      attestationIssuer !== undefined && {
        attestation: {
          keyId: attestationKeyId,
          issuer: attestationIssuer,
          ttlSeconds: settings.attestationTtlSeconds,
          ...(attestationAudience !== undefined && { audience: attestationAudience }),
        },
      }),
    ...(ownerRefKey !== undefined && { ownerRefKey }),
    ...optional('kmsEndpoint', endpoint(HANDLER_ENV.KMS_ENDPOINT)),
  };

  if (problems.length > 0) return { ok: false, problems, ...(allowedOrigins !== undefined && { allowedOrigins }) };
  return { ok: true, config };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Read once per cold start: the environment of a Lambda does not change while it is warm. */
export const CONFIG_STATE: ConfigState = parseConfig(process.env);
