/** Every unsafe setting is a synth warning (a CDK annotation), and the secure defaults raise none of them. */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { FaceLivenessSettings } from '../../bin/settings';
import { newTestStack } from './support/stack';

const IDS = [
  '@face-liveness/low-threshold',
  '@face-liveness/wildcard-origin',
  '@face-liveness/http-origin',
  '@face-liveness/default-origin',
  '@face-liveness/lockout-off',
  '@face-liveness/long-presigned-urls',
  '@face-liveness/expose-details',
];

function warnings(settings: Partial<FaceLivenessSettings>, region: string | null = 'us-east-1'): string[] {
  const stack = newTestStack(settings, { region });
  return Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .map((w) => String(w.entry.data))
    .filter((text) => IDS.some((id) => text.includes(id)));
}

describe('synth warnings for unsafe settings', () => {
  const SAFE = { allowedOrigins: ['https://app.example.com'] };
  test.each([
    ['a threshold below 50', { ...SAFE, confidenceThreshold: 0 }, '@face-liveness/low-threshold'],
    ["a '*' origin", { allowedOrigins: ['*'] }, '@face-liveness/wildcard-origin'],
    [
      'an http: origin other than localhost',
      { allowedOrigins: ['http://app.example.com'] },
      '@face-liveness/http-origin',
    ],
    ['the lockout off', { ...SAFE, lockoutMaxFailures: 0 }, '@face-liveness/lockout-off'],
    [
      'presigned URLs longer than 5 minutes',
      { ...SAFE, presignedUrlTtlSeconds: 3600 },
      '@face-liveness/long-presigned-urls',
    ],
    ['exposeDetails on', { ...SAFE, exposeDetails: true }, '@face-liveness/expose-details'],
  ] as const)('%s', (_name, settings, id) => {
    const found = warnings(settings);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(id);
  });

  test('the default localhost origin warns in a stack bound to an account and region, not in an environment-agnostic one', () => {
    expect(warnings({}).join('\n')).toContain('@face-liveness/default-origin');
    expect(warnings({}, null)).toEqual([]);
  });

  test('http://localhost and the secure defaults with a real origin raise none', () => {
    expect(warnings({ allowedOrigins: ['https://app.example.com', 'http://localhost:3000'] })).toEqual([]);
  });
});
