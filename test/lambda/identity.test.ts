/** Who owns a session, per auth mode: only what API Gateway fills in, never what the caller could choose. */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerOf, networkOf, ownerOf, ownerRef } from '../../lambda/shared/identity';
import { ApiError } from '../../lambda/shared/errors';

type Context = Partial<APIGatewayProxyEvent['requestContext']>;
const ctx = (identity: Record<string, unknown>, authorizer: unknown = null): Context =>
  ({ identity, authorizer }) as unknown as Context;

describe('ownerOf', () => {
  it.each([
    [
      'iam, a Cognito identity',
      'iam',
      ctx({ cognitoIdentityId: 'eu-west-1:abc', userArn: 'arn:aws:sts::1:assumed-role/r/s', sourceIp: '1.2.3.4' }),
      'cognito:eu-west-1:abc',
    ],
    [
      'iam, another IAM principal',
      'iam',
      ctx({ cognitoIdentityId: null, userArn: 'arn:aws:sts::1:assumed-role/backend/x' }),
      'iam:arn:aws:sts::1:assumed-role/backend/x',
    ],
    [
      'cognito, the user-pool sub',
      'cognito',
      ctx({ cognitoIdentityId: 'eu-west-1:ignored' }, { claims: { sub: 'user-sub-1' } }),
      'user:user-sub-1',
    ],
    ['none, an IPv4 address', 'none', ctx({ sourceIp: '203.0.113.7' }), 'ip:203.0.113.7'],
    ['none, an IPv4-mapped address', 'none', ctx({ sourceIp: '::ffff:203.0.113.7' }), 'ip:203.0.113.7'],
    [
      'none, an IPv6 address (its /64)',
      'none',
      ctx({ sourceIp: '2001:db8:0:1:aaaa:bbbb:cccc:dddd' }),
      'ip:2001:db8:0:1::/64',
    ],
  ] as const)('%s', (_, mode, context, expected) => {
    expect(ownerOf(context, mode)).toBe(expected);
  });

  it.each([
    ['iam without any identity', 'iam', ctx({ cognitoIdentityId: null, userArn: null })],
    ['iam with an empty identity id and no ARN', 'iam', ctx({ cognitoIdentityId: '' })],
    ['cognito without an authorizer', 'cognito', ctx({ cognitoIdentityId: 'x' })],
    ['cognito with claims but no sub', 'cognito', ctx({}, { claims: { email: 'a@example.com' } })],
    ['cognito with a non-string sub', 'cognito', ctx({}, { claims: { sub: 42 } })],
    ['none without a source address', 'none', ctx({ sourceIp: null })],
    ['no request context at all', 'iam', undefined],
  ] as const)('answers 401 for %s', (_, mode, context) => {
    const act = () => ownerOf(context, mode);
    expect(act).toThrow(ApiError);
    expect(act).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED', statusCode: 401 }));
  });

  it('never takes the owner from headers the caller sets', () => {
    const event = {
      ...ctx({ sourceIp: '198.51.100.1' }),
      headers: { 'X-Forwarded-For': '203.0.113.99' },
    } as unknown as Context;
    expect(ownerOf(event, 'none')).toBe('ip:198.51.100.1');
  });

  it('replaces an overlong or unprintable value by its SHA-256, so an owner always fits a key', () => {
    const long = ownerOf(ctx({ cognitoIdentityId: 'x'.repeat(5000) }), 'iam');
    const control = ownerOf(ctx({ cognitoIdentityId: 'a\nb' }), 'iam');
    expect(long).toMatch(/^cognito:sha256:[0-9a-f]{64}$/);
    expect(control).toMatch(/^cognito:sha256:[0-9a-f]{64}$/);
    expect(long).not.toBe(control);
  });
});

describe('networkOf', () => {
  it.each([
    ['::1', '0:0:0:0::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['2001:DB8:1:2::3', '2001:db8:1:2::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['not-an-ip', 'not-an-ip'],
  ])('%s → %s', (address, expected) => {
    expect(networkOf(address)).toBe(expected);
  });
});

describe('ownerRef', () => {
  it('is a stable 128-bit hash that does not contain the owner', () => {
    const key = 'k'.repeat(32);
    expect(ownerRef('ip:203.0.113.7', key)).toMatch(/^[0-9a-f]{32}$/);
    expect(ownerRef('ip:203.0.113.7', key)).toBe(ownerRef('ip:203.0.113.7', key));
    expect(ownerRef('ip:203.0.113.7', key)).not.toBe(ownerRef('ip:203.0.113.8', key));
    // Another key, another ref: a ref proves nothing without the key.
    expect(ownerRef('ip:203.0.113.7', key)).not.toBe(ownerRef('ip:203.0.113.7', 'j'.repeat(32)));
  });

  it('cannot be reversed by searching a /16 without the key (an unkeyed SHA-256 could)', () => {
    const ref = ownerRef('ip:10.20.30.40', 'secret-key-of-this-deployment-000');
    const unkeyed = (owner: string) => createHash('sha256').update(owner).digest('hex').slice(0, 32);
    let found: string | undefined;
    for (let a = 0; a < 256 && found === undefined; a++) {
      for (let b = 0; b < 256; b++) {
        const guess = `ip:10.20.${a}.${b}`;
        if (unkeyed(guess) === ref || ownerRef(guess, undefined) === ref) {
          found = guess;
          break;
        }
      }
    }
    expect(found).toBeUndefined();
    expect(ownerRef('ip:10.20.30.40', 'secret-key-of-this-deployment-000')).toBe(ref);
  });
});

describe('callerOf', () => {
  const key = 'k'.repeat(32);
  it('keeps only the owner reference of a Cognito identity: no identity id in what the handlers keep', () => {
    const identityId = 'us-east-1:0b5a4c1e-1111-4222-8333-944445555666';
    const caller = callerOf({ identity: { cognitoIdentityId: identityId } } as never, 'iam', key);
    expect(caller).toEqual({
      ref: ownerRef(`cognito:${identityId}`, key),
      subject: ownerRef(`cognito:${identityId}`, key),
    });
    expect(JSON.stringify(caller)).not.toContain('0b5a4c1e');
  });

  it("with user-pool authorization, the attestation's subject is the user pool's sub", () => {
    const caller = callerOf({ authorizer: { claims: { sub: 'a1b2c3d4-user' } } } as never, 'cognito', key);
    expect(caller).toEqual({ ref: ownerRef('user:a1b2c3d4-user', key), subject: 'a1b2c3d4-user' });
  });

  it('names no address either', () => {
    const caller = callerOf({ identity: { sourceIp: '203.0.113.7' } } as never, 'none', key);
    expect(JSON.stringify(caller)).not.toContain('203.0.113');
  });
});
