/**
 * The handlers' configuration, read from the environment once per cold start and validated as a whole.
 *
 * A bad value does not throw at import: that would surface as an opaque `Runtime.ImportModuleError` on every call.
 * Instead the problems are kept and every request answers 500 BACKEND_MISCONFIGURED with the problems in the log.
 */
import { ORIGIN_PATTERN } from '../../contract/cors';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { AUDIT_IMAGES_LIMIT, CONFIDENCE_RANGE } from '../../contract/liveness-model';
import { SESSION_SETTING_LIMITS as LIMITS } from '../../contract/session-table-schema';
import { DEFAULT_SETTINGS, type AuthMode } from '../../lib/settings';

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

type Env = Readonly<Record<string, string | undefined>>;

// The Rekognition model's rules (REKOGNITION_FACTS.md); origins follow contract/cors.ts like lib/settings.ts.
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const BUCKET = /^[0-9A-Za-z.\-_]{3,255}$/;
const KEY_PREFIX = /^\S{0,950}$/;
const KMS_KEY_ID = /^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2047}$/;
const ENDPOINT = /^https?:\/\/[^\s/]+\/?$/;
// DynamoDB's own rule for table names.
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const AUTH_MODES: readonly AuthMode[] = ['iam', 'cognito', 'none'];

/** Parses and checks every variable, collecting all problems rather than stopping at the first. */
export function parseConfig(env: Env): ConfigState {
  const problems: string[] = [];
  // An empty string is how a deployment tool usually says "unset".
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const fail = (name: string, rule: string, raw: string) => {
    problems.push(`${name} must be ${rule} (got ${JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw)})`);
  };
  const required = (name: string): string | undefined => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} is required`);
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) fail(name, `an integer from ${min} to ${max}`, raw);
    return value;
  };
  const matching = (name: string, pattern: RegExp, rule: string): string | undefined => {
    const raw = read(name);
    if (raw !== undefined && !pattern.test(raw)) fail(name, rule, raw);
    return raw;
  };

  const allowedOrigins = parseOrigins(required(HANDLER_ENV.ALLOWED_ORIGINS), problems);
  const region = required('AWS_REGION');
  if (region !== undefined && !REGION.test(region)) fail('AWS_REGION', 'an AWS region such as eu-west-1', region);

  const thresholdRaw = required(HANDLER_ENV.CONFIDENCE_THRESHOLD);
  const confidenceThreshold = Number(thresholdRaw);
  if (thresholdRaw !== undefined && !(confidenceThreshold >= CONFIDENCE_RANGE.min && confidenceThreshold <= CONFIDENCE_RANGE.max)) {
    fail(HANDLER_ENV.CONFIDENCE_THRESHOLD, `a number from ${CONFIDENCE_RANGE.min} to ${CONFIDENCE_RANGE.max}`, thresholdRaw);
  }

  const exposeRaw = read(HANDLER_ENV.EXPOSE_DETAILS);
  if (exposeRaw !== undefined && exposeRaw !== 'true' && exposeRaw !== 'false') fail(HANDLER_ENV.EXPOSE_DETAILS, 'true or false', exposeRaw);

  const imageBucket = matching(HANDLER_ENV.IMAGE_BUCKET, BUCKET, '3–255 characters of 0-9 A-Z a-z . - _');
  const imageKeyPrefix = matching(HANDLER_ENV.IMAGE_KEY_PREFIX, KEY_PREFIX, 'at most 950 characters without whitespace') ?? '';
  if (imageKeyPrefix !== '' && imageBucket === undefined) problems.push(`${HANDLER_ENV.IMAGE_KEY_PREFIX} is set but ${HANDLER_ENV.IMAGE_BUCKET} is not`);
  const kmsKeyId = matching(HANDLER_ENV.KMS_KEY_ID, KMS_KEY_ID, 'a KMS key id, ARN or alias');

  const sdkTimeoutMs = integer(HANDLER_ENV.SDK_TIMEOUT_MS, DEFAULT_SETTINGS.sdkTimeoutMs, 100, 28_000);

  const authMode = required(HANDLER_ENV.AUTH_MODE);
  if (authMode !== undefined && !(AUTH_MODES as readonly string[]).includes(authMode)) fail(HANDLER_ENV.AUTH_MODE, AUTH_MODES.join(', '), authMode);
  const sessionTableName = required(HANDLER_ENV.SESSION_TABLE_NAME);
  if (sessionTableName !== undefined && !TABLE_NAME.test(sessionTableName)) fail(HANDLER_ENV.SESSION_TABLE_NAME, 'a DynamoDB table name', sessionTableName);
  const lockoutSeconds = integer(HANDLER_ENV.LOCKOUT_SECONDS, DEFAULT_SETTINGS.lockoutSeconds, 1, LIMITS.lockoutSeconds.max);
  const lockoutMaxSeconds = integer(HANDLER_ENV.LOCKOUT_MAX_SECONDS, DEFAULT_SETTINGS.lockoutMaxSeconds, 1, LIMITS.lockoutMaxSeconds.max);
  if (lockoutMaxSeconds < lockoutSeconds) problems.push(`${HANDLER_ENV.LOCKOUT_MAX_SECONDS} must be at least ${HANDLER_ENV.LOCKOUT_SECONDS}`);
  const backoffRaw = read(HANDLER_ENV.LOCKOUT_BACKOFF_FACTOR);
  const backoffFactor = backoffRaw === undefined ? DEFAULT_SETTINGS.lockoutBackoffFactor : Number(backoffRaw);
  if (backoffRaw !== undefined && !(/^\d+(\.\d+)?$/.test(backoffRaw) && backoffFactor >= 1 && backoffFactor <= LIMITS.lockoutBackoffFactor.max)) {
    fail(HANDLER_ENV.LOCKOUT_BACKOFF_FACTOR, `a number from 1 to ${LIMITS.lockoutBackoffFactor.max}`, backoffRaw);
  }
  const lockout: LockoutPolicy = {
    maxFailures: integer(HANDLER_ENV.LOCKOUT_MAX_FAILURES, DEFAULT_SETTINGS.lockoutMaxFailures, 0, LIMITS.lockoutMaxFailures.max),
    windowMs: integer(HANDLER_ENV.LOCKOUT_WINDOW_SECONDS, DEFAULT_SETTINGS.lockoutWindowSeconds, 1, LIMITS.lockoutWindowSeconds.max) * 1000,
    lockoutMs: lockoutSeconds * 1000,
    backoffFactor,
    maxLockoutMs: lockoutMaxSeconds * 1000,
  };
  const config: HandlerConfig = {
    region: region ?? '',
    allowedOrigins: allowedOrigins ?? [],
    confidenceThreshold,
    exposeDetails: exposeRaw === 'true',
    ...(imageBucket !== undefined && { imageBucket }),
    imageKeyPrefix,
    ...(kmsKeyId !== undefined && { kmsKeyId }),
    defaultAuditImagesLimit: integer(HANDLER_ENV.DEFAULT_AUDIT_IMAGES_LIMIT, DEFAULT_SETTINGS.defaultAuditImagesLimit, AUDIT_IMAGES_LIMIT.min, AUDIT_IMAGES_LIMIT.max),
    presignedUrlTtlSeconds: integer(HANDLER_ENV.PRESIGNED_URL_TTL_SECONDS, DEFAULT_SETTINGS.presignedUrlTtlSeconds, 1, 3600),
    pollRetryAfterSeconds: integer(HANDLER_ENV.POLL_RETRY_AFTER_SECONDS, DEFAULT_SETTINGS.pollRetryAfterSeconds, 1, 30),
    sdkTimeoutMs,
    sdkMaxAttempts: integer(HANDLER_ENV.SDK_MAX_ATTEMPTS, DEFAULT_SETTINGS.sdkMaxAttempts, 1, 5),
    ...optional('rekognitionEndpoint', matching(HANDLER_ENV.REKOGNITION_ENDPOINT, ENDPOINT, 'an http(s) URL without a path')),
    ...optional('s3Endpoint', matching(HANDLER_ENV.S3_ENDPOINT, ENDPOINT, 'an http(s) URL without a path')),
    authMode: (authMode ?? 'iam') as AuthMode,
    sessionTableName: sessionTableName ?? '',
    verdictRetentionDays: integer(HANDLER_ENV.VERDICT_RETENTION_DAYS, DEFAULT_SETTINGS.verdictRetentionDays, 1, LIMITS.verdictRetentionDays.max),
    lockout,
    ...optional('dynamodbEndpoint', matching(HANDLER_ENV.DYNAMODB_ENDPOINT, ENDPOINT, 'an http(s) URL without a path')),
  };

  if (problems.length > 0) return { ok: false, problems, ...(allowedOrigins !== undefined && { allowedOrigins }) };
  return { ok: true, config };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function parseOrigins(raw: string | undefined, problems: string[]): readonly string[] | undefined {
  if (raw === undefined) return undefined;
  const origins = raw.split(',').map((o) => o.trim()).filter((o) => o.length > 0);
  const bad = origins.filter((o) => o !== '*' && !ORIGIN_PATTERN.test(o));
  const before = problems.length;
  if (origins.length === 0) problems.push(`${HANDLER_ENV.ALLOWED_ORIGINS} must list at least one origin`);
  if (origins.includes('*') && origins.length > 1) problems.push(`${HANDLER_ENV.ALLOWED_ORIGINS}: '*' cannot be combined with other origins`);
  for (const o of bad) problems.push(`${HANDLER_ENV.ALLOWED_ORIGINS}: ${JSON.stringify(o)} is not an origin like https://app.example.com`);
  return problems.length === before ? origins : undefined;
}

/** Read once per cold start: the environment of a Lambda does not change while it is warm. */
export const CONFIG_STATE: ConfigState = parseConfig(process.env);
