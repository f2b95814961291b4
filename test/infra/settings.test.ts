/** Bad settings fail synth with a clear message, whether they come from props or from `-c name=value` strings. */
import { HANDLER_ENV } from '../../contract/handler-environment';
import { newTestStack, synth } from './support/stack';

describe('settings validation', () => {
  test.each([
    [
      'confidenceThreshold above 100',
      { confidenceThreshold: 101 },
      /confidenceThreshold must be a number from 0 to 100/,
    ],
    ['a log retention CloudWatch does not offer', { logRetentionDays: 31 }, /logRetentionDays must be one of/],
    [
      'cognito auth without a user pool',
      { authMode: 'cognito' as const },
      /userPoolArn is required when authMode is 'cognito'/,
    ],
    ['an origin with a path', { allowedOrigins: ['https://app.example.com/login'] }, /is not an origin like/],
    [
      'KMS without stored images',
      { imageEncryption: 'kms' as const, storeImages: false },
      /imageEncryption 'kms' needs storeImages/,
    ],
    [
      'SDK retries longer than the function timeout',
      { sdkTimeoutMs: 6000, sdkMaxAttempts: 2 },
      /must stay below functionTimeoutSeconds/,
    ],
    ['a WAF limit below the minimum', { wafRateLimit: 5 }, /wafRateLimit must be an integer from 10/],
    ['no allowed challenge', { allowedChallenges: [] }, /allowedChallenges must list one or more/],
    [
      'an unknown challenge',
      { allowedChallenges: ['SmileChallenge'] as never },
      /allowedChallenges must list one or more/,
    ],
    [
      'a malformed minimum challenge version',
      { minChallengeVersions: { FaceMovementAndLightChallenge: '1' } },
      /minChallengeVersions FaceMovementAndLightChallenge must be a version like 1\.0\.0/,
    ],
  ])('props: %s', (_name, settings, message) => {
    expect(() => newTestStack(settings)).toThrow(message);
  });

  test('props: an unknown setting', () => {
    expect(() => newTestStack({ confidence: 50 } as never)).toThrow(/unknown setting "confidence"/);
  });

  test.each([
    ['a non-number', { confidenceThreshold: 'high' }, /confidenceThreshold must be a number/],
    ['a non-boolean', { waf: 'maybe' }, /waf must be true or false \(got "maybe"\)/],
    [
      'a non-integer',
      { imageRetentionDays: '7.5' },
      /imageRetentionDays must be an integer from 1 to 3650 \(got 7\.5\)/,
    ],
    ["'*' mixed with origins", { allowedOrigins: '*,https://app.example.com' }, /'\*' cannot be combined/],
    ['an unknown auth mode', { authMode: 'apikey' }, /authMode must be one of iam, cognito, none/],
  ])('context: %s', (_name, context, message) => {
    expect(() => newTestStack({}, { context })).toThrow(message);
  });

  test('context strings are parsed by type', () => {
    // GIVEN
    const context = {
      allowedOrigins: 'https://a.example.com, https://b.example.com',
      wafRateLimit: '500',
      exposeDetails: 'true',
    };
    // WHEN
    const s = synth({}, { context });
    // THEN
    const fn = s.stack.resolve(s.stack.backend.getResultFunction.functionArn)['Fn::GetAtt'][0];
    expect(s.template.toJSON().Resources[fn].Properties.Environment.Variables).toMatchObject({
      [HANDLER_ENV.ALLOWED_ORIGINS]: 'https://a.example.com,https://b.example.com',
      [HANDLER_ENV.EXPOSE_DETAILS]: 'true',
    });
    s.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: [{ Statement: { RateBasedStatement: { Limit: 500 } } }, {}],
    });
  });

  test('the challenge policy from context reaches both handlers', () => {
    // WHEN
    const s = synth(
      {},
      {
        context: {
          allowedChallenges: 'FaceMovementAndLightChallenge,FaceMovementChallenge',
          minChallengeVersions: 'FaceMovementAndLightChallenge=2.0.0,FaceMovementChallenge=1.0.0',
        },
      },
    );
    // THEN
    for (const fn of [s.stack.backend.createSessionFunction, s.stack.backend.getResultFunction]) {
      const id = s.stack.resolve(fn.functionArn)['Fn::GetAtt'][0];
      expect(s.template.toJSON().Resources[id].Properties.Environment.Variables).toMatchObject({
        [HANDLER_ENV.ALLOWED_CHALLENGES]: 'FaceMovementAndLightChallenge,FaceMovementChallenge',
        [HANDLER_ENV.MIN_CHALLENGE_VERSIONS]: 'FaceMovementAndLightChallenge=2.0.0,FaceMovementChallenge=1.0.0',
      });
    }
  });

  test('stack props win over context', () => {
    const s = synth({ waf: true }, { context: { waf: 'false' } });
    s.template.resourceCountIs('AWS::WAFv2::WebACL', 1);
  });
});
