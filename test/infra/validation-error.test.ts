/**
 * A consumer's app (a plain App and Stack, not this repository's app) with a bad prop: synth throws the one exported
 * error type, and its message names the prop path the consumer wrote. The region guard's way out is the prop, never
 * this repository's `-c` context value.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { FaceLivenessBackend, type FaceLivenessBackendProps, FaceLivenessValidationError } from '../../lib';

function synthConsumer(props: FaceLivenessBackendProps, region = 'us-east-1'): unknown {
  const app = new App();
  const stack = new Stack(app, 'Consumer', { env: { account: '111122223333', region } });
  try {
    new FaceLivenessBackend(stack, 'X', props);
    app.synth();
  } catch (error) {
    return error;
  }
  throw new Error('synth did not fail');
}

describe('synth errors in a consumer app', () => {
  test.each<[string, FaceLivenessBackendProps, RegExp]>([
    ['lockout.duration', { lockout: { duration: Duration.seconds(0) } }, /lockout\.duration must be whole seconds/],
    ['lockout.window', { lockout: { window: Duration.days(2) } }, /lockout\.window must be whole seconds from 1/],
    [
      'lockout.maxDuration',
      { lockout: { duration: Duration.hours(2), maxDuration: Duration.hours(1) } },
      /lockout\.maxDuration \(3600\) must be at least lockout\.duration \(7200\)/,
    ],
    [
      'challenges.minVersions.faceMovementAndLight',
      { challenges: { minVersions: { faceMovementAndLight: 'two' } } },
      /challenges\.minVersions\.faceMovementAndLight must be a version like 1\.0\.0 \(got "two"\)/,
    ],
    ['images.retention', { images: { retention: Duration.hours(36) } }, /images\.retention must be whole days/],
    [
      'monitoring.thresholds.latencyP99',
      { monitoring: { thresholds: { latencyP99: Duration.seconds(40) } } },
      /monitoring\.thresholds\.latencyP99 must be whole milliseconds from 50 to 29000/,
    ],
    [
      'functions.sdkTimeout',
      { functions: { sdkTimeout: Duration.seconds(6), timeout: Duration.seconds(10) } },
      /functions\.sdkTimeout × functions\.sdkMaxAttempts \(12000 ms\) must stay below functions\.timeout \(10 s\)/,
    ],
    ['firewall.rateLimitPerIp', { firewall: { rateLimitPerIp: 5 } }, /firewall\.rateLimitPerIp must be an integer/],
    ['monitoring.alarmEmail', { monitoring: { alarmEmail: 'nobody' } }, /monitoring\.alarmEmail must be an e-mail/],
  ])('%s: the exported error, naming the prop path', (propPath, props, message) => {
    const error = synthConsumer(props);
    expect(error).toBeInstanceOf(FaceLivenessValidationError);
    const e = error as FaceLivenessValidationError;
    expect(e.propPath).toBe(propPath);
    expect(e.message).toMatch(message);
    // No flat setting name of this repository's app leaks into a construct user's message.
    expect(e.message).not.toMatch(/lockoutSeconds|lockoutWindowSeconds|minChallengeVersions|alarmLatencyP99Ms/);
  });

  test('every problem is listed at once', () => {
    const e = synthConsumer({ confidenceThreshold: 101, lockout: { maxFailures: -1 } }) as FaceLivenessValidationError;
    expect(e.problems.map((p) => p.propPath)).toEqual(['confidenceThreshold', 'lockout.maxFailures']);
  });

  test('an unsupported region: the hint names the prop, not a context value', () => {
    const e = synthConsumer({}, 'af-south-1') as FaceLivenessValidationError;
    expect(e).toBeInstanceOf(FaceLivenessValidationError);
    expect(e.propPath).toBe('allowUnsupportedRegion');
    expect(e.message).toContain('allowUnsupportedRegion: true in the FaceLivenessBackend props');
    expect(e.message).not.toContain('-c allowUnsupportedRegion');
  });

  test('allowUnsupportedRegion: true lets it synthesize', () => {
    const app = new App();
    const stack = new Stack(app, 'Consumer', { env: { account: '111122223333', region: 'af-south-1' } });
    expect(() => new FaceLivenessBackend(stack, 'X', { allowUnsupportedRegion: true })).not.toThrow();
  });
});
