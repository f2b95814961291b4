/**
 * The signed verdict through local mode: a decided result carries an attestation signed by the local KMS stand-in
 * through the handlers' real KMSClient; the local API serves the JWK Set. The client helper and a plain node:crypto
 * check both verify it; a tampered payload, another key, an expired token, another owner, audience or nonce are
 * rejected; each verdict has one attestation, which no read renews; a verdict can be consumed exactly once, even by
 * concurrent consumers, and is attested no more once consumed.
 */
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { FinishedResult } from '../../client';
import { AttestationError, verifyAttestation } from '../../client/server';
import { consumeVerdict } from '../../client/consume-verdict';
import { ATTESTATION_TYPE, JWKS_PATH, type AttestationClaims } from '../../contract/attestation';
import { sessionKey } from '../../contract/session-table-schema';
import { LOCAL_ATTESTATION_ISSUER, type LocalBackend } from '../../local/stack';
import { clientAs, errorCode, raw, startSecurityBackend } from './support';

let stack: LocalBackend;
let token: string;
let sessionId: string;
const NONCE = 'order-42 for user 7';
const AUDIENCE = 'https://shop.example';

beforeAll(async () => {
  stack = await startSecurityBackend({ scripted: true, settings: { attestationAudience: AUDIENCE } });
  const client = clientAs(stack, 'ATTESTED');
  ({ sessionId } = await client.createSession({ nonce: NONCE }));
  await stack.emulator.sessions.complete(sessionId, { confidence: 97 });
  const result = await client.getResult(sessionId);
  if (!result.done || result.attestation === undefined) throw new Error('no attestation');
  token = result.attestation;
});
afterAll(() => stack.close());

const jwksUrl = () => `${stack.api.url}${JWKS_PATH}`;
const b64json = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

const claimsOf = (jws: string) => b64json(jws.split('.')[1]!) as unknown as AttestationClaims;

/** A decided result of a new session of `caller`, completed with `confidence`. */
async function decided(caller: string, confidence: number, nonce?: string): Promise<FinishedResult> {
  const client = clientAs(stack, caller);
  const { sessionId: id } = await client.createSession(nonce === undefined ? {} : { nonce });
  await stack.emulator.sessions.complete(id, { confidence });
  const result = await client.getResult(id);
  if (!result.done) throw new Error('not decided');
  return result;
}

/** Rewrites attributes of a session item, as time passing would make them. */
async function ageRecord(id: string, values: Record<string, number>): Promise<void> {
  const client = stack.dynamo.client();
  try {
    const names = Object.keys(values);
    await client.send(
      new UpdateItemCommand({
        TableName: stack.dynamo.tableName,
        Key: { pk: { S: sessionKey(id) } },
        UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, { N: String(values[n]) }])),
      }),
    );
  } finally {
    client.destroy();
  }
}

describe('a verdict other services can verify', () => {
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
      audience: AUDIENCE,
      expectedNonce: NONCE,
      maxVerdictAgeSeconds: 60,
      expectedSessionId: sessionId,
    });
    expect(claims).toMatchObject({
      iss: LOCAL_ATTESTATION_ISSUER,
      aud: AUDIENCE,
      nonce: NONCE,
      sub: expect.stringMatching(/^[0-9a-f]{32}$/),
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
    expect(b64json(header)).toEqual({ alg: 'ES256', typ: ATTESTATION_TYPE, kid: keys[0]!.kid });
    const key = createPublicKey({ key: keys[0]! as never, format: 'jwk' });
    const ok = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    expect(ok).toBe(true);
  });

  it('rejects a tampered payload, another key, an expired token and the wrong owner, audience, nonce or age', async () => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const options = { jwks: jwksUrl(), issuer: LOCAL_ATTESTATION_ISSUER };
    await expect(verifyAttestation(token, { ...options, audience: 'https://other-app.example' })).rejects.toMatchObject(
      { code: 'WRONG_AUDIENCE' },
    );
    await expect(verifyAttestation(token, { ...options, expectedNonce: 'order-43 for user 7' })).rejects.toMatchObject({
      code: 'WRONG_NONCE',
    });
    const decidedAt = Date.parse(String(b64json(payload).decidedAt));
    await expect(
      verifyAttestation(token, {
        ...options,
        maxVerdictAgeSeconds: 30,
        currentDate: new Date(decidedAt + 60_000),
      }),
    ).rejects.toMatchObject({ code: 'TOO_OLD' });
    // Another JWT signed with the same key is not an attestation: explicit typing.
    const untyped = `${Buffer.from(JSON.stringify({ ...b64json(header), typ: 'JWT' })).toString('base64url')}.${payload}.${signature}`;
    await expect(verifyAttestation(untyped, options)).rejects.toBeInstanceOf(AttestationError);
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

  it('consume-once: of 20 concurrent consumers exactly one wins; then no read attests the verdict again', async () => {
    const claims = claimsOf(token);
    const client = stack.dynamo.client();
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => consumeVerdict(client, { tableName: stack.dynamo.tableName, claims })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await consumeVerdict(client, { tableName: stack.dynamo.tableName, claims })).toBe(false);
    } finally {
      client.destroy();
    }
    const after = await clientAs(stack, 'ATTESTED').getResult(sessionId);
    expect(after).toMatchObject({ done: true, isLive: true, attestationStatus: 'CONSUMED' });
    expect(after.done && after.attestation).toBeFalsy();
  });

  it('a not-live verdict cannot be consumed', async () => {
    const result = await decided('CONSUMER-NOT-LIVE', 3);
    const client = stack.dynamo.client();
    try {
      const claims = claimsOf(result.attestation!);
      expect(await consumeVerdict(client, { tableName: stack.dynamo.tableName, claims })).toBe(false);
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

describe('one attestation per verdict', () => {
  it('every read within its lifetime returns the same attestation: same jti, iat and exp, from decidedAt', async () => {
    const first = await decided('ONCE', 97);
    const reads = await Promise.all(
      Array.from({ length: 5 }, () => clientAs(stack, 'ONCE').getResult(first.sessionId)),
    );
    const claims = claimsOf(first.attestation!);
    for (const read of reads) {
      if (!read.done) throw new Error('not decided');
      const again = claimsOf(read.attestation!);
      expect({ jti: again.jti, iat: again.iat, exp: again.exp }).toEqual({
        jti: claims.jti,
        iat: claims.iat,
        exp: claims.exp,
      });
    }
    expect(claims.iat).toBe(Math.floor(Date.parse(claims.decidedAt) / 1000));
    expect(claims.exp).toBe(claims.iat + 300);
  });

  it('a verdict decided 31 days ago (its attestation long expired) is readable but attested no more', async () => {
    const result = await decided('OLD', 97);
    const decidedAt = Math.floor(Date.parse(claimsOf(result.attestation!).decidedAt) / 1000);
    await ageRecord(result.sessionId, { attestationExpiresAt: decidedAt - 31 * 86_400 + 300 });
    const later = await clientAs(stack, 'OLD').getResult(result.sessionId);
    expect(later).toMatchObject({ done: true, isLive: true, attestationStatus: 'EXPIRED' });
    expect(later.done && later.attestation).toBeFalsy();
    expect(later.done && later.message).toMatch(/new session to prove liveness again/);
  });

  it('a record past its ttl is gone, though TTL deletion has not removed it', async () => {
    const result = await decided('EXPIRED-RECORD', 97);
    await ageRecord(result.sessionId, { ttl: Math.floor(Date.now() / 1000) - 1 });
    await expect(clientAs(stack, 'EXPIRED-RECORD').getResult(result.sessionId)).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
  });

  it('refuses a nonce that is not 1–256 printable characters, naming the field (server and client)', async () => {
    for (const nonce of ['', 'x'.repeat(257), 'tab\there', 'é', 42] as unknown[]) {
      const res = await raw(stack, 'POST', '/sessions', 'NONCE', { nonce });
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_ERROR');
      expect(res.body).toMatch(/nonce/);
      await expect(clientAs(stack, 'NONCE').createSession({ nonce: nonce as string })).rejects.toMatchObject({
        field: 'nonce',
      });
    }
  });
});
