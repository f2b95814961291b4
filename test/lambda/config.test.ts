/** Configuration parsing: defaults, every rule, and all problems reported at once. */
import { HANDLER_ENV } from '../../contract/handler-environment';
import { parseConfig, type ConfigState } from '../../lambda/shared/config';
import { HANDLER_SETTING_DEFAULTS as DEFAULT_SETTINGS } from '../../contract/setting-rules';

const MINIMAL = {
  AWS_REGION: 'eu-west-1',
  ALLOWED_ORIGINS: 'https://app.example.com',
  CONFIDENCE_THRESHOLD: '80',
  AUTH_MODE: 'iam',
  SESSION_TABLE_NAME: 'face-liveness-sessions',
};

/** AWS's guidance, the settings' defaults: 5 failures in 3 minutes, then 30 minutes, doubling up to a day. */
const DEFAULT_LOCKOUT = {
  maxFailures: 5,
  windowMs: 180_000,
  lockoutMs: 1_800_000,
  backoffFactor: 2,
  maxLockoutMs: 86_400_000,
};

function problemsOf(state: ConfigState): readonly string[] {
  return state.ok ? [] : state.problems;
}

describe('parseConfig', () => {
  it('fills every optional value from the settings defaults', () => {
    // Act
    const state = parseConfig(MINIMAL);

    // Assess
    expect(state).toEqual({
      ok: true,
      config: {
        region: 'eu-west-1',
        allowedOrigins: ['https://app.example.com'],
        confidenceThreshold: 80,
        exposeDetails: false,
        imageKeyPrefix: '',
        defaultAuditImagesLimit: DEFAULT_SETTINGS.defaultAuditImagesLimit,
        challengePolicy: { allowed: ['FaceMovementAndLightChallenge'] },
        presignedUrlTtlSeconds: DEFAULT_SETTINGS.presignedUrlTtlSeconds,
        pollRetryAfterSeconds: DEFAULT_SETTINGS.pollRetryAfterSeconds,
        sdkTimeoutMs: DEFAULT_SETTINGS.sdkTimeoutMs,
        sdkMaxAttempts: DEFAULT_SETTINGS.sdkMaxAttempts,
        authMode: 'iam',
        sessionTableName: 'face-liveness-sessions',
        verdictRetentionDays: 30,
        lockout: DEFAULT_LOCKOUT,
        traceAwsCalls: false,
      },
    });
  });

  it('reads every variable', () => {
    // Act
    const state = parseConfig({
      ...MINIMAL,
      [HANDLER_ENV.ALLOWED_ORIGINS]: 'https://a.example.com, http://localhost:5173',
      [HANDLER_ENV.CONFIDENCE_THRESHOLD]: '85.5',
      [HANDLER_ENV.EXPOSE_DETAILS]: 'true',
      [HANDLER_ENV.IMAGE_BUCKET]: 'my-bucket',
      [HANDLER_ENV.IMAGE_KEY_PREFIX]: 'faces/',
      [HANDLER_ENV.KMS_KEY_ID]: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      [HANDLER_ENV.DEFAULT_AUDIT_IMAGES_LIMIT]: '4',
      [HANDLER_ENV.ALLOWED_CHALLENGES]: 'FaceMovementChallenge, FaceMovementAndLightChallenge',
      [HANDLER_ENV.MIN_CHALLENGE_VERSIONS]: 'FaceMovementChallenge=1.2.3, FaceMovementAndLightChallenge=2.0.0',
      [HANDLER_ENV.PRESIGNED_URL_TTL_SECONDS]: '300',
      [HANDLER_ENV.POLL_RETRY_AFTER_SECONDS]: '3',
      [HANDLER_ENV.SDK_TIMEOUT_MS]: '1500',
      [HANDLER_ENV.SDK_MAX_ATTEMPTS]: '3',
      [HANDLER_ENV.REKOGNITION_ENDPOINT]: 'http://127.0.0.1:4566',
      [HANDLER_ENV.S3_ENDPOINT]: 'http://localhost:9000/',
      [HANDLER_ENV.AUTH_MODE]: 'cognito',
      [HANDLER_ENV.SESSION_TABLE_NAME]: 'Stack-SessionTable-1A2B3C',
      [HANDLER_ENV.VERDICT_RETENTION_DAYS]: '90',
      [HANDLER_ENV.LOCKOUT_MAX_FAILURES]: '3',
      [HANDLER_ENV.LOCKOUT_WINDOW_SECONDS]: '600',
      [HANDLER_ENV.LOCKOUT_SECONDS]: '3600',
      [HANDLER_ENV.LOCKOUT_BACKOFF_FACTOR]: '1.5',
      [HANDLER_ENV.LOCKOUT_MAX_SECONDS]: '7200',
      [HANDLER_ENV.DYNAMODB_ENDPOINT]: 'http://127.0.0.1:4569',
      [HANDLER_ENV.TRACE_AWS_CALLS]: 'true',
    });

    // Assess
    expect(state.ok && state.config).toEqual({
      region: 'eu-west-1',
      allowedOrigins: ['https://a.example.com', 'http://localhost:5173'],
      confidenceThreshold: 85.5,
      exposeDetails: true,
      imageBucket: 'my-bucket',
      imageKeyPrefix: 'faces/',
      kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      defaultAuditImagesLimit: 4,
      challengePolicy: {
        allowed: ['FaceMovementChallenge', 'FaceMovementAndLightChallenge'],
        minVersions: { FaceMovementChallenge: '1.2.3', FaceMovementAndLightChallenge: '2.0.0' },
      },
      presignedUrlTtlSeconds: 300,
      pollRetryAfterSeconds: 3,
      sdkTimeoutMs: 1500,
      sdkMaxAttempts: 3,
      rekognitionEndpoint: 'http://127.0.0.1:4566',
      s3Endpoint: 'http://localhost:9000/',
      authMode: 'cognito',
      sessionTableName: 'Stack-SessionTable-1A2B3C',
      verdictRetentionDays: 90,
      lockout: { maxFailures: 3, windowMs: 600_000, lockoutMs: 3_600_000, backoffFactor: 1.5, maxLockoutMs: 7_200_000 },
      dynamodbEndpoint: 'http://127.0.0.1:4569',
      traceAwsCalls: true,
    });
  });

  it('rejects an unknown challenge and a malformed minimum version', () => {
    // Act
    const state = parseConfig({
      ...MINIMAL,
      [HANDLER_ENV.ALLOWED_CHALLENGES]: 'SmileChallenge',
      [HANDLER_ENV.MIN_CHALLENGE_VERSIONS]: 'FaceMovementAndLightChallenge=1.0',
    });

    // Assess
    expect(problemsOf(state)).toEqual([
      expect.stringContaining(HANDLER_ENV.ALLOWED_CHALLENGES),
      expect.stringContaining(HANDLER_ENV.MIN_CHALLENGE_VERSIONS),
    ]);
  });

  it('turns the lockout off with LOCKOUT_MAX_FAILURES=0', () => {
    // Act
    const state = parseConfig({ ...MINIMAL, [HANDLER_ENV.LOCKOUT_MAX_FAILURES]: '0' });

    // Assess
    expect(state.ok && state.config.lockout.maxFailures).toBe(0);
  });

  it('treats empty strings as unset', () => {
    // Act
    const state = parseConfig({ ...MINIMAL, [HANDLER_ENV.IMAGE_BUCKET]: '', [HANDLER_ENV.KMS_KEY_ID]: ' ' });

    // Assess
    expect(state.ok && state.config.imageBucket).toBeUndefined();
    expect(state.ok && state.config.kmsKeyId).toBeUndefined();
  });

  it.each([
    ['a missing region', { AWS_REGION: undefined }, 'AWS_REGION is required'],
    ['a bad region', { AWS_REGION: 'Europe' }, 'AWS_REGION must be an AWS region'],
    ['missing origins', { ALLOWED_ORIGINS: undefined }, 'ALLOWED_ORIGINS is required'],
    ['an origin with a path', { ALLOWED_ORIGINS: 'https://a.example.com/app' }, 'is not an origin'],
    ['an origin without scheme', { ALLOWED_ORIGINS: 'a.example.com' }, 'is not an origin'],
    ['* with other origins', { ALLOWED_ORIGINS: '*,https://a.example.com' }, "'*' cannot be combined"],
    ['only commas', { ALLOWED_ORIGINS: ',,' }, 'must list at least one origin'],
    ['a missing threshold', { CONFIDENCE_THRESHOLD: undefined }, 'CONFIDENCE_THRESHOLD is required'],
    [
      'a text threshold',
      { CONFIDENCE_THRESHOLD: 'abc' },
      'CONFIDENCE_THRESHOLD must be a number from 0 to 100 (got "abc")',
    ],
    ['a threshold above 100', { CONFIDENCE_THRESHOLD: '100.5' }, 'CONFIDENCE_THRESHOLD must be a number from 0 to 100'],
    ['a negative threshold', { CONFIDENCE_THRESHOLD: '-1' }, 'CONFIDENCE_THRESHOLD must be a number from 0 to 100'],
    ['EXPOSE_DETAILS=yes', { EXPOSE_DETAILS: 'yes' }, 'EXPOSE_DETAILS must be true or false'],
    ['a bad bucket', { IMAGE_BUCKET: 'a' }, 'IMAGE_BUCKET must be 3–255 characters'],
    ['a prefix without bucket', { IMAGE_KEY_PREFIX: 'x/' }, 'IMAGE_KEY_PREFIX is set but IMAGE_BUCKET is not'],
    [
      'a prefix with a space',
      { IMAGE_BUCKET: 'bucket', IMAGE_KEY_PREFIX: 'a b/' },
      'IMAGE_KEY_PREFIX must be at most 950 characters without whitespace',
    ],
    ['a bad KMS key id', { KMS_KEY_ID: '-bad key' }, 'KMS_KEY_ID must be a KMS key id'],
    [
      'an audit limit of 5',
      { DEFAULT_AUDIT_IMAGES_LIMIT: '5' },
      'DEFAULT_AUDIT_IMAGES_LIMIT must be an integer from 0 to 4',
    ],
    [
      'a fractional audit limit',
      { DEFAULT_AUDIT_IMAGES_LIMIT: '1.5' },
      'DEFAULT_AUDIT_IMAGES_LIMIT must be an integer from 0 to 4',
    ],
    [
      'a zero URL lifetime',
      { PRESIGNED_URL_TTL_SECONDS: '0' },
      'PRESIGNED_URL_TTL_SECONDS must be an integer from 1 to 3600',
    ],
    [
      'a long poll delay',
      { POLL_RETRY_AFTER_SECONDS: '31' },
      'POLL_RETRY_AFTER_SECONDS must be an integer from 1 to 30',
    ],
    ['a tiny SDK timeout', { SDK_TIMEOUT_MS: '10' }, 'SDK_TIMEOUT_MS must be an integer from 100 to 28000'],
    ['too many attempts', { SDK_MAX_ATTEMPTS: '6' }, 'SDK_MAX_ATTEMPTS must be an integer from 1 to 5'],
    [
      'an endpoint with a path',
      { REKOGNITION_ENDPOINT: 'http://localhost:4566/rekognition' },
      'REKOGNITION_ENDPOINT must be an http(s) URL without a path',
    ],
    ['a non-http S3 endpoint', { S3_ENDPOINT: 'ftp://localhost' }, 'S3_ENDPOINT must be an http(s) URL without a path'],
    ['a missing auth mode', { AUTH_MODE: undefined }, 'AUTH_MODE is required'],
    ['an unknown auth mode', { AUTH_MODE: 'apikey' }, 'AUTH_MODE must be one of iam, cognito, none'],
    ['a missing table', { SESSION_TABLE_NAME: undefined }, 'SESSION_TABLE_NAME is required'],
    ['a bad table name', { SESSION_TABLE_NAME: 'a/b' }, 'SESSION_TABLE_NAME must be a DynamoDB table name'],
    ['a zero retention', { VERDICT_RETENTION_DAYS: '0' }, 'VERDICT_RETENTION_DAYS must be an integer from 1 to 3650'],
    [
      'a negative failure count',
      { LOCKOUT_MAX_FAILURES: '-1' },
      'LOCKOUT_MAX_FAILURES must be an integer from 0 to 50',
    ],
    ['a zero window', { LOCKOUT_WINDOW_SECONDS: '0' }, 'LOCKOUT_WINDOW_SECONDS must be an integer from 1 to 86400'],
    ['a backoff below 1', { LOCKOUT_BACKOFF_FACTOR: '0.5' }, 'LOCKOUT_BACKOFF_FACTOR must be a number from 1 to 10'],
    ['a text backoff', { LOCKOUT_BACKOFF_FACTOR: 'double' }, 'LOCKOUT_BACKOFF_FACTOR must be a number from 1 to 10'],
    [
      'a cap below the first lockout',
      { LOCKOUT_SECONDS: '600', LOCKOUT_MAX_SECONDS: '300' },
      'LOCKOUT_MAX_SECONDS (300) must be at least LOCKOUT_SECONDS (600)',
    ],
    [
      'a DynamoDB endpoint with a path',
      { DYNAMODB_ENDPOINT: 'http://localhost:4569/x' },
      'DYNAMODB_ENDPOINT must be an http(s) URL without a path',
    ],
  ])('reports %s', (_, overrides, expected) => {
    // Act
    const state = parseConfig({ ...MINIMAL, ...overrides });

    // Assess
    expect(state.ok).toBe(false);
    expect(problemsOf(state).join('\n')).toContain(expected);
  });

  it('reports every problem at once, and keeps valid origins for CORS', () => {
    // Act
    const state = parseConfig({ ...MINIMAL, CONFIDENCE_THRESHOLD: 'high', SDK_MAX_ATTEMPTS: '0', EXPOSE_DETAILS: '1' });

    // Assess
    expect(problemsOf(state)).toHaveLength(3);
    expect(!state.ok && state.allowedOrigins).toEqual(['https://app.example.com']);
  });

  it('truncates long values in problem messages', () => {
    // Act
    const state = parseConfig({ ...MINIMAL, IMAGE_BUCKET: `bad bucket ${'x'.repeat(500)}` });

    // Assess
    expect(problemsOf(state)[0]!.length).toBeLessThan(200);
  });

  it('accepts * alone as the allowed origins', () => {
    // Act
    const state = parseConfig({ ...MINIMAL, ALLOWED_ORIGINS: '*' });

    // Assess
    expect(state.ok && state.config.allowedOrigins).toEqual(['*']);
  });
});

describe('parseConfig: identity verification', () => {
  const IDENTITY = {
    ...MINIMAL,
    [HANDLER_ENV.IDENTITY_SIMILARITY_THRESHOLD]: '99',
    [HANDLER_ENV.IDENTITY_COLLECTION_ID]: 'face-liveness-subjects',
    [HANDLER_ENV.IDENTITY_REFERENCE_PHOTO_SOURCES]: 'kyc-docs/id-cards/, other.bucket/',
    [HANDLER_ENV.IDENTITY_CHECK_TTL_SECONDS]: '900',
  };

  it('is off without IDENTITY_SIMILARITY_THRESHOLD', () => {
    const state = parseConfig(MINIMAL);
    expect(state.ok && state.config.identity).toBe(undefined);
  });

  it('reads the floor, the collection, the photo sources and the check lifetime', () => {
    const state = parseConfig(IDENTITY);
    expect(state.ok && state.config.identity).toEqual({
      similarityThreshold: 99,
      collectionId: 'face-liveness-subjects',
      referencePhotoSources: [
        { bucket: 'kyc-docs', prefix: 'id-cards/' },
        { bucket: 'other.bucket', prefix: '' },
      ],
      checkTtlSeconds: 900,
    });
  });

  it('defaults: no collection (enrolment off), no photo sources, checks live 600 s', () => {
    const state = parseConfig({ ...MINIMAL, [HANDLER_ENV.IDENTITY_SIMILARITY_THRESHOLD]: '95.5' });
    expect(state.ok && state.config.identity).toEqual({
      similarityThreshold: 95.5,
      referencePhotoSources: [],
      checkTtlSeconds: 600,
    });
  });

  it.each([
    [
      HANDLER_ENV.IDENTITY_SIMILARITY_THRESHOLD,
      '100.1',
      /IDENTITY_SIMILARITY_THRESHOLD must be a number from 0 to 100/,
    ],
    [HANDLER_ENV.IDENTITY_SIMILARITY_THRESHOLD, '-1', /must be a number from 0 to 100/],
    [HANDLER_ENV.IDENTITY_SIMILARITY_THRESHOLD, 'high', /must be a number from 0 to 100/],
    [HANDLER_ENV.IDENTITY_COLLECTION_ID, 'has space', /IDENTITY_COLLECTION_ID must be a collection id/],
    [HANDLER_ENV.IDENTITY_REFERENCE_PHOTO_SOURCES, 'x/prefix', /bucket\/prefix pairs/],
    [HANDLER_ENV.IDENTITY_CHECK_TTL_SECONDS, '59', /from 60 to 3600/],
    [HANDLER_ENV.IDENTITY_CHECK_TTL_SECONDS, '3601', /from 60 to 3600/],
  ])('refuses %s=%s', (name, value, problem) => {
    expect(problemsOf(parseConfig({ ...IDENTITY, [name]: value }))).toEqual([expect.stringMatching(problem)]);
  });

  it('refuses identity variables without the threshold that turns identity verification on', () => {
    const { [HANDLER_ENV.IDENTITY_SIMILARITY_THRESHOLD]: _, ...rest } = IDENTITY;
    expect(problemsOf(parseConfig(rest))).toEqual([
      'IDENTITY_COLLECTION_ID is set but IDENTITY_SIMILARITY_THRESHOLD is not',
      'IDENTITY_REFERENCE_PHOTO_SOURCES is set but IDENTITY_SIMILARITY_THRESHOLD is not',
      'IDENTITY_CHECK_TTL_SECONDS is set but IDENTITY_SIMILARITY_THRESHOLD is not',
    ]);
  });
});
