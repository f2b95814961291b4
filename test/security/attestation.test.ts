/**
 * Finding 3 through local mode: a decided result carries an attestation signed by the local KMS stand-in through the
 * handlers' real KMSClient; the local API serves the JWK Set. The client helper and a plain node:crypto check both
 * verify it; a tampered payload, another key, an expired token and the wrong owner are rejected; a verdict can be
 * consumed exactly once, even by concurrent consumers.
 */
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { AttestationError, verifyAttestation } from '../../client';
import { consumeVerdict } from '../../client/consume-verdict';
import { JWKS_PATH } from '../../contract/attestation';
import { LOCAL_ATTESTATION_ISSUER, type LocalBackend } from '../../local/stack';
import { clientAs, startSecurityBackend } from './support';

let stack: LocalBackend;
let token: string;
let sessionId: string;
const OWNER = 'cognito:local:ATTESTED';

beforeAll(async () => {
  stack = await startSecurityBackend({ scripted: true });
  const client = clientAs(stack, 'ATTESTED');
  ({ sessionId } = await client.createSession());
  await stack.emulator.sessions.complete(sessionId, { confidence: 97 });
  const result = await client.getResult(sessionId);
  if (!result.done || result.attestation === undefined) throw new Error('no attestation');
  token = result.attestation;
});
afterAll(() => stack.close());

const jwksUrl = () => `${stack.api.url}${JWKS_PATH}`;
const b64json = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('finding 3: a verdict other services can verify', () => {
  it('serves the JWK Set unauthenticated and cacheable', async () => {
    const res = await fetch(jwksUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const set = (await res.json()) as { keys: Array<Record<string, string>> };
    expect(set.keys).toEqual([
      expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) }),
    ]);
  });

  it('the client helper verifies the attestation and returns its claims', async () => {
    const claims = await verifyAttestation(token, {
      jwks: jwksUrl(),
      issuer: LOCAL_ATTESTATION_ISSUER,
      expectedOwner: OWNER,
      expectedSessionId: sessionId,
    });
    expect(claims).toMatchObject({
      iss: LOCAL_ATTESTATION_ISSUER,
      sub: OWNER,
      sid: sessionId,
      live: true,
      threshold: 80,
      challenge: { type: 'FaceMovementAndLightChallenge', version: '2.0.0' },
    });
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a plain node:crypto check of the JWS against the JWK Set holds', async () => {
    const { keys } = (await (await fetch(jwksUrl())).json()) as { keys: Array<Record<string, string>> };
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(b64json(header)).toEqual({ alg: 'ES256', typ: 'JWT', kid: keys[0]!.kid });
    const key = createPublicKey({ key: keys[0]! as never, format: 'jwk' });
    const ok = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    expect(ok).toBe(true);
  });

  it('rejects a tampered payload, another key, an expired token and the wrong owner', async () => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const options = { jwks: jwksUrl(), issuer: LOCAL_ATTESTATION_ISSUER };
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...b64json(payload), sub: 'cognito:local:MALLORY' })).toString('base64url')}.${signature}`;
    await expect(verifyAttestation(tampered, options)).rejects.toMatchObject({ code: 'INVALID_SIGNATURE' });

    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), { key: other, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    await expect(verifyAttestation(forged, options)).rejects.toMatchObject({ code: 'INVALID_SIGNATURE' });

    const later = new Date((Number(b64json(payload).exp) + 60) * 1000);
    await expect(verifyAttestation(token, { ...options, currentDate: later })).rejects.toMatchObject({
      code: 'EXPIRED',
    });
    await expect(
      verifyAttestation(token, { ...options, expectedOwner: 'cognito:local:MALLORY' }),
    ).rejects.toMatchObject({ code: 'WRONG_OWNER' });
    await expect(
      verifyAttestation(token, { ...options, expectedSessionId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ code: 'WRONG_SESSION' });
    await expect(verifyAttestation(token, { ...options, issuer: 'urn:someone-else' })).rejects.toBeInstanceOf(
      AttestationError,
    );
  });

  it('consume-once: of 20 concurrent consumers exactly one wins, and the wrong owner never does', async () => {
    const client = stack.dynamo.client();
    try {
      expect(
        await consumeVerdict(client, { tableName: stack.dynamo.tableName, sessionId, owner: 'cognito:local:MALLORY' }),
      ).toBe(false);
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          consumeVerdict(client, { tableName: stack.dynamo.tableName, sessionId, owner: OWNER }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await consumeVerdict(client, { tableName: stack.dynamo.tableName, sessionId, owner: OWNER })).toBe(false);
    } finally {
      client.destroy();
    }
  });

  it('a failed check is attested as not live, and the helper refuses it unless asked to accept it', async () => {
    const client = clientAs(stack, 'ATTESTED2');
    const { sessionId: failed } = await client.createSession();
    await stack.emulator.sessions.complete(failed, { confidence: 3 });
    const result = await client.getResult(failed);
    if (!result.done || result.attestation === undefined) throw new Error('no attestation');
    const options = { jwks: jwksUrl(), issuer: LOCAL_ATTESTATION_ISSUER };
    await expect(verifyAttestation(result.attestation, options)).rejects.toMatchObject({ code: 'NOT_LIVE' });
    await expect(verifyAttestation(result.attestation, { ...options, allowNotLive: true })).resolves.toMatchObject({
      live: false,
      reason: 'LOW_CONFIDENCE',
    });
  });
});
