/**
 * Nothing a verdict leaves behind is a credential, end to end in local mode as deployed (auth 'iam', guest identities
 * from the Cognito identity stand-in, which implements GetId and GetCredentialsForIdentity as Cognito does: a guest's
 * identity id is all it takes to get that guest's credentials). A second caller holding everything the victim's check
 * produced (the attestation, the result body and every table item, as a grantReadVerdicts reader sees them) tries
 * each string in it as an identity id: it gets no credentials, hence neither the victim's results nor a lockout of the
 * victim.
 */
import type { FinishedResult } from '../../client';
import { verifyAttestation } from '../../client/server';
import { JWKS_PATH } from '../../contract/attestation';
import { LOCAL_ATTESTATION_ISSUER, startLocalBackend, type LocalBackend } from '../../local/stack';
import { newLocalCaller } from '../support/local-identity';

let stack: LocalBackend;
beforeAll(async () => {
  stack = await startLocalBackend({
    apiPort: 0,
    emulatorPort: 0,
    honourEnvironment: false,
    settings: { storeImages: false, exposeDetails: true, lockoutMaxFailures: 2 },
    emulator: { defaults: { startAfterMs: 0, completeAfterMs: 0, autoComplete: false } },
  });
});
afterAll(() => stack.close());

async function getCredentialsForIdentity(identityId: string): Promise<number> {
  const res = await fetch(stack.identity.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityService.GetCredentialsForIdentity',
    },
    body: JSON.stringify({ IdentityId: identityId }),
  });
  await res.text();
  return res.status;
}

/** Every string in a JSON value, and every `:`-separated tail of it (`cognito:<id>` → `<id>`). */
function candidates(value: unknown): string[] {
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  walk(value);
  return [...new Set(strings.flatMap((s) => s.split(':').map((_, i, parts) => parts.slice(i).join(':'))))].filter(
    (s) => s.length > 0 && s.length <= 256,
  );
}

const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8'));

describe("the victim's attestation, result and table items give a second caller nothing", () => {
  let victimIdentityId: string;
  let result: FinishedResult;
  let victim: ReturnType<typeof newLocalCaller>;

  beforeAll(async () => {
    victim = newLocalCaller(stack);
    const { sessionId } = await victim.client.createSession({ nonce: 'checkout-7' });
    await stack.emulator.sessions.complete(sessionId, { confidence: 97 });
    const read = await victim.client.getResult(sessionId);
    if (!read.done || read.attestation === undefined) throw new Error('no attestation');
    result = read;
    const { accessKeyId } = await victim.credentials();
    victimIdentityId = stack.identity.pool.lookup(accessKeyId)!.identityId;
  });

  it('the stand-in hands out credentials for an identity id alone, as Cognito does for guests', async () => {
    expect(await getCredentialsForIdentity(victimIdentityId)).toBe(200);
  });

  it('the attestation verifies, and carries no identity id', async () => {
    const claims = await verifyAttestation(result.attestation!, {
      jwks: `${stack.api.url}${JWKS_PATH}`,
      issuer: LOCAL_ATTESTATION_ISSUER,
      expectedNonce: 'checkout-7',
    });
    expect(claims.sub).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(payloadOf(result.attestation!))).not.toContain(victimIdentityId.split(':')[1]);
  });

  it('no string of the attestation, the result or any table item is an identity id Cognito answers for', async () => {
    const items = await stack.dynamo.items();
    const leaked = [payloadOf(result.attestation!), result, items];
    const tried = candidates(leaked);
    expect(tried.length).toBeGreaterThan(10);
    const answered: string[] = [];
    for (const candidate of tried) if ((await getCredentialsForIdentity(candidate)) === 200) answered.push(candidate);
    expect(answered).toEqual([]);
    expect(JSON.stringify(leaked)).not.toContain(victimIdentityId.split(':')[1]);
  });

  it("so a second caller can read neither the victim's result nor lock the victim out", async () => {
    const mallory = newLocalCaller(stack);
    await expect(mallory.client.getResult(result.sessionId)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    // Failing checks of its own lock only itself out.
    for (let i = 0; i < 2; i++) {
      const { sessionId } = await mallory.client.createSession();
      await stack.emulator.sessions.complete(sessionId, { confidence: 3 });
      await mallory.client.getResult(sessionId);
    }
    await expect(mallory.client.createSession()).rejects.toMatchObject({ code: 'LOCKED_OUT' });
    await expect(victim.client.createSession()).resolves.toMatchObject({ sessionId: expect.any(String) });
  });
});
