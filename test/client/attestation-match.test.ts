/**
 * verifyAttestation and the identity match: an attestation signed with a test key (ES256, the backend's JWS type)
 * carrying, or not, the `match` claim; `expectedSubject` and `requireMatch` accept exactly the verdicts they should.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';
import { AttestationError, verifyAttestation } from '../../client/server';
import { ATTESTATION_TYPE } from '../../contract/attestation';
import type { MatchClaim } from '../../contract/identity';

const ISSUER = 'urn:test:face-liveness';
let jwks: JSONWebKeySet;
let sign: (claims: Record<string, unknown>) => Promise<string>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
  sign = (claims) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      sid: randomUUID(),
      live: true,
      threshold: 80,
      decidedAt: new Date().toISOString(),
      jti: randomUUID(),
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', typ: ATTESTATION_TYPE, kid: 'k1' })
      .setIssuer(ISSUER)
      .setSubject('owner-ref')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
  };
});

const match = (extra: Partial<MatchClaim> = {}): MatchClaim => ({
  method: 'reference',
  matched: true,
  threshold: 99,
  subject: 'user-42',
  ...extra,
});
const verify = (token: string, options: Omit<Parameters<typeof verifyAttestation>[1], 'jwks' | 'issuer'> = {}) =>
  verifyAttestation(token, { jwks, issuer: ISSUER, ...options });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'verified',
    (error: unknown) => (error instanceof AttestationError ? error.code : `not an AttestationError: ${String(error)}`),
  );

describe('a matched verdict', () => {
  test('verifies for its subject and method, and the claims carry the match without any similarity', async () => {
    const token = await sign({ match: match() });
    const claims = await verify(token, { expectedSubject: 'user-42', requireMatch: 'reference' });
    expect(claims.match).toEqual({ method: 'reference', matched: true, threshold: 99, subject: 'user-42' });
    expect(JSON.stringify(claims)).not.toMatch(/similarity/i);
  });

  test('requireMatch: true accepts any method', async () => {
    const token = await sign({ match: match({ method: 'enrolled' }) });
    await expect(codeOf(verify(token, { requireMatch: true }))).resolves.toBe('verified');
  });

  test('another subject: WRONG_SUBJECT', async () => {
    const token = await sign({ match: match() });
    await expect(codeOf(verify(token, { expectedSubject: 'user-43' }))).resolves.toBe('WRONG_SUBJECT');
  });

  test('subjects are compared exactly (no case folding, no trimming)', async () => {
    const token = await sign({ match: match({ subject: 'User-42' }) });
    await expect(codeOf(verify(token, { expectedSubject: 'user-42' }))).resolves.toBe('WRONG_SUBJECT');
  });

  test('a match of another method than the one required: NO_MATCH_CLAIM, naming both', async () => {
    const token = await sign({ match: match({ method: 'enrol' }) });
    await expect(verify(token, { requireMatch: 'enrolled' })).rejects.toMatchObject({
      code: 'NO_MATCH_CLAIM',
      message: expect.stringMatching(/enrol, not enrolled/),
    });
  });
});

describe('an unmatched verdict', () => {
  test('says so: without requireMatch it verifies and the claim reads matched: false', async () => {
    const token = await sign({ match: match({ matched: false }) });
    const claims = await verify(token, { expectedSubject: 'user-42' });
    expect(claims.match).toMatchObject({ matched: false, subject: 'user-42' });
  });

  test.each([[true], ['reference' as const]])('requireMatch %p refuses it: NOT_MATCHED', async (requireMatch) => {
    const token = await sign({ match: match({ matched: false }) });
    await expect(codeOf(verify(token, { requireMatch }))).resolves.toBe('NOT_MATCHED');
  });

  test('an enrolment that did not happen reads as not enrolled', async () => {
    const token = await sign({ match: match({ method: 'enrol', matched: false }) });
    await expect(verify(token, { requireMatch: 'enrol' })).rejects.toMatchObject({
      code: 'NOT_MATCHED',
      message: 'The live face was not enrolled.',
    });
  });

  test('a verdict that is not live is refused as NOT_LIVE before its match is looked at', async () => {
    const token = await sign({ live: false, reason: 'LOW_CONFIDENCE', match: match({ matched: false }) });
    await expect(codeOf(verify(token, { requireMatch: true }))).resolves.toBe('NOT_LIVE');
  });
});

describe('a verdict without a match claim', () => {
  test('verifies as before when no match is asked for', async () => {
    const token = await sign({});
    await expect(codeOf(verify(token))).resolves.toBe('verified');
  });

  test.each([
    ['requireMatch: true', { requireMatch: true }],
    ["requireMatch: 'reference'", { requireMatch: 'reference' as const }],
    ['expectedSubject', { expectedSubject: 'user-42' }],
  ])('%s: NO_MATCH_CLAIM (a plain liveness verdict is not an identity verdict)', async (_name, options) => {
    const token = await sign({});
    await expect(codeOf(verify(token, options))).resolves.toBe('NO_MATCH_CLAIM');
  });
});

describe('a match claim that cannot be trusted', () => {
  test.each([
    ['matched not a boolean', { ...match(), matched: 'true' }],
    ['an unknown method', { ...match(), method: 'selfie' }],
    ['no subject', { method: 'reference', matched: true, threshold: 99 }],
    ['not an object', 'matched'],
  ])('%s: MALFORMED', async (_name, claim) => {
    const token = await sign({ match: claim });
    await expect(codeOf(verify(token))).resolves.toBe('MALFORMED');
  });

  test('a match flipped to true after signing: INVALID_SIGNATURE', async () => {
    const token = await sign({ match: match({ matched: false }) });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const flipped = Buffer.from(JSON.stringify({ ...claims, match: match() })).toString('base64url');
    await expect(codeOf(verify(`${header}.${flipped}.${signature}`, { requireMatch: true }))).resolves.toBe(
      'INVALID_SIGNATURE',
    );
  });
});
