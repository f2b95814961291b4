/** The one environment mapping: what the construct writes, the handlers read back unchanged; bad values are named. */
import fc from 'fast-check';
import {
  HANDLER_ENV,
  SETTING_VARIABLES,
  handlerEnvironment,
  readHandlerSettings,
} from '../../contract/handler-environment';
import {
  AUTH_MODES,
  HANDLER_SETTING_DEFAULTS,
  SETTING_RANGES,
  type HandlerSettings,
} from '../../contract/setting-rules';
import { CHALLENGE_TYPES } from '../../contract/liveness-model';
import { DEFAULT_SETTINGS, resolveSettings } from '../../bin/settings';

const int = (range: { min: number; max: number }) => fc.integer({ min: range.min, max: range.max });
const decimal = (range: { min: number; max: number }) =>
  fc.integer({ min: range.min * 100, max: range.max * 100 }).map((n) => n / 100);

/** Any settings the construct accepts (resolveSettings), restricted to what the handlers read. */
const handlerSettings: fc.Arbitrary<HandlerSettings> = fc
  .record({
    authMode: fc.constantFrom(...AUTH_MODES),
    allowedOrigins: fc.constantFrom(
      ['*'],
      ['https://a.example.com'],
      ['https://a.example.com', 'http://localhost:5173'],
    ),
    confidenceThreshold: decimal(SETTING_RANGES.confidenceThreshold),
    exposeDetails: fc.boolean(),
    defaultAuditImagesLimit: int(SETTING_RANGES.defaultAuditImagesLimit),
    allowedChallenges: fc.shuffledSubarray([...CHALLENGE_TYPES], { minLength: 1 }),
    minChallengeVersions: fc.option(
      fc.dictionary(
        fc.constantFrom(...CHALLENGE_TYPES),
        fc.tuple(fc.nat(999), fc.nat(999), fc.nat(999)).map((v) => v.join('.')),
      ),
      { nil: undefined },
    ),
    attestationTtlSeconds: int(SETTING_RANGES.attestationTtlSeconds),
    presignedUrlTtlSeconds: int(SETTING_RANGES.presignedUrlTtlSeconds),
    pollRetryAfterSeconds: int(SETTING_RANGES.pollRetryAfterSeconds),
    sdkTimeoutMs: int(SETTING_RANGES.sdkTimeoutMs),
    sdkMaxAttempts: int(SETTING_RANGES.sdkMaxAttempts),
    verdictRetentionDays: int(SETTING_RANGES.verdictRetentionDays),
    lockoutMaxFailures: int(SETTING_RANGES.lockoutMaxFailures),
    lockoutWindowSeconds: int(SETTING_RANGES.lockoutWindowSeconds),
    lockoutSeconds: int(SETTING_RANGES.lockoutSeconds),
    lockoutBackoffFactor: decimal(SETTING_RANGES.lockoutBackoffFactor),
    lockoutMaxSeconds: int(SETTING_RANGES.lockoutMaxSeconds),
    traceAwsCalls: fc.boolean(),
  })
  .filter((s) => s.lockoutMaxSeconds >= s.lockoutSeconds)
  // A minimum only for an allowed challenge; none at all is written as unset.
  .map(({ minChallengeVersions, ...s }) => {
    const kept = Object.entries(minChallengeVersions ?? {}).filter(([type]) =>
      (s.allowedChallenges as readonly string[]).includes(type),
    );
    return kept.length > 0 ? { ...s, minChallengeVersions: Object.fromEntries(kept) } : s;
  });

describe('handler environment mapping', () => {
  it('reads back every setting it writes', () => {
    fc.assert(
      fc.property(handlerSettings, (settings) => {
        // Act
        const reading = readHandlerSettings(handlerEnvironment(settings));

        // Assess
        expect(reading.problems).toEqual([]);
        expect(reading.settings).toEqual(settings);
      }),
    );
  });

  it('accepts at cold start every value synth accepts, with the function timeout that lets the SDK settings pass', () => {
    fc.assert(
      fc.property(handlerSettings, (settings) => {
        // Arrange: the only rule synth adds is sdkTimeoutMs × sdkMaxAttempts below the function timeout.
        fc.pre(settings.sdkTimeoutMs * settings.sdkMaxAttempts < 29_000);
        const resolved = resolveSettings({
          ...settings,
          functionTimeoutSeconds: 29,
          ...(settings.authMode === 'cognito' && {
            userPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc',
          }),
        });

        // Act
        const reading = readHandlerSettings(handlerEnvironment(resolved));

        // Assess
        expect(reading.problems).toEqual([]);
      }),
    );
  });

  it('maps every setting the handlers read, each to its own variable', () => {
    // Assess
    const settings = SETTING_VARIABLES.map((v) => v.setting).sort();
    // minChallengeVersions is the one setting without a default (unset: any version of each challenge).
    expect(settings).toEqual([...Object.keys(HANDLER_SETTING_DEFAULTS), 'minChallengeVersions'].sort());
    expect(new Set(SETTING_VARIABLES.map((v) => v.name)).size).toBe(SETTING_VARIABLES.length);
  });

  it('gives the construct and the handlers the same defaults', () => {
    // Assess
    for (const key of Object.keys(HANDLER_SETTING_DEFAULTS) as Array<keyof typeof HANDLER_SETTING_DEFAULTS>) {
      expect(DEFAULT_SETTINGS[key]).toEqual(HANDLER_SETTING_DEFAULTS[key]);
    }
    expect(
      readHandlerSettings({ AUTH_MODE: 'iam', ALLOWED_ORIGINS: 'http://localhost:5173', CONFIDENCE_THRESHOLD: '80' })
        .settings,
    ).toEqual(HANDLER_SETTING_DEFAULTS);
  });

  it.each([
    [HANDLER_ENV.SDK_TIMEOUT_MS, String(SETTING_RANGES.sdkTimeoutMs.max + 1)],
    [HANDLER_ENV.PRESIGNED_URL_TTL_SECONDS, String(SETTING_RANGES.presignedUrlTtlSeconds.max + 1)],
    [HANDLER_ENV.POLL_RETRY_AFTER_SECONDS, '0'],
    [HANDLER_ENV.SDK_MAX_ATTEMPTS, '1.5'],
    [HANDLER_ENV.LOCKOUT_BACKOFF_FACTOR, 'twice'],
    [HANDLER_ENV.ALLOWED_CHALLENGES, 'SmileChallenge'],
    [HANDLER_ENV.ALLOWED_CHALLENGES, 'FaceMovementChallenge,FaceMovementChallenge'],
    [HANDLER_ENV.MIN_CHALLENGE_VERSIONS, 'FaceMovementAndLightChallenge=1.0'],
    [HANDLER_ENV.MIN_CHALLENGE_VERSIONS, '2.0.0'],
    [HANDLER_ENV.MIN_CHALLENGE_VERSIONS, 'SmileChallenge=1.0.0'],
    // A minimum for a challenge the backend does not allow (the default allows only the light challenge).
    [HANDLER_ENV.MIN_CHALLENGE_VERSIONS, 'FaceMovementChallenge=1.0.0'],
    [HANDLER_ENV.ATTESTATION_TTL_SECONDS, String(SETTING_RANGES.attestationTtlSeconds.min - 1)],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    // Act
    const reading = readHandlerSettings({ ...handlerEnvironment(HANDLER_SETTING_DEFAULTS), [name]: value });

    // Assess
    expect(reading.problems).toHaveLength(1);
    expect(reading.problems[0]).toMatch(new RegExp(`^${name} `));
  });

  it('refuses what synth refuses: a lockout cap below the first lockout', () => {
    // Arrange
    const settings = { ...HANDLER_SETTING_DEFAULTS, lockoutSeconds: 600, lockoutMaxSeconds: 300 };

    // Act / Assess
    expect(() => resolveSettings(settings)).toThrow(
      /lockoutMaxSeconds \(300\) must be at least lockoutSeconds \(600\)/,
    );
    expect(readHandlerSettings(handlerEnvironment(settings)).problems).toEqual([
      'LOCKOUT_MAX_SECONDS (300) must be at least LOCKOUT_SECONDS (600)',
    ]);
  });
});
