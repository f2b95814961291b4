/**
 * Local mode as deployed: the Cognito identity stand-in issues guest credentials, and the local API checks SigV4 on
 * every request as API Gateway's AWS_IAM authorization does, answering failures with the deployed gateway responses.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createRequestSigner } from '../../client';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { sessionKey, SESSION_TABLE_KEY } from '../../contract/session-table-schema';
import { ownerRef } from '../../lambda/shared/identity';
import { LOCAL_GATEWAY_ERRORS } from '../../local/api/gateway-errors';
import { gatewayErrors } from '../../lib/gateway-responses';
import { LivenessAuthorization } from '../../lib/props';
import { LOCAL_REGION, startLocalBackend, type LocalBackend } from '../../local/stack';
import { newLocalCaller } from '../support/local-identity';

const ORIGIN = 'http://localhost:5173';

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

async function identityCall(
  stack: LocalBackend,
  operation: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(stack.identity.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityService.${operation}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function ownerOf(stack: LocalBackend, sessionId: string): Promise<string | undefined> {
  return (await stack.dynamo.items()).find((i) => i[SESSION_TABLE_KEY]?.S === sessionKey(sessionId))?.['owner']?.S;
}

/** A raw HTTP request with a request target fetch() would never send. */
function rawTarget(
  stack: LocalBackend,
  method: string,
  target: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: stack.api.port, method, path: target, headers: { Origin: ORIGIN } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let stack: LocalBackend;
beforeAll(async () => {
  stack = await startLocalBackend({
    apiPort: 0,
    emulatorPort: 0,
    honourEnvironment: false,
    settings: { storeImages: false, lockoutMaxFailures: 2 },
    emulator: { defaults: { startAfterMs: 0, completeAfterMs: 0 } },
  });
});
afterAll(() => stack.close());

describe('the Cognito identity stand-in', () => {
  test('GetId then GetCredentialsForIdentity gives a guest identity expiring credentials', async () => {
    const id = await identityCall(stack, 'GetId', { IdentityPoolId: stack.identity.pool.identityPoolId });
    expect(id.status).toBe(200);
    expect(id.body.IdentityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    const creds = await identityCall(stack, 'GetCredentialsForIdentity', { IdentityId: id.body.IdentityId });
    expect(creds.status).toBe(200);
    const c = creds.body.Credentials as Record<string, unknown>;
    expect(c.AccessKeyId).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(typeof c.SecretKey).toBe('string');
    expect(typeof c.SessionToken).toBe('string');
    // Epoch seconds, about an hour ahead
    expect(c.Expiration as number).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(c.Expiration as number).toBeLessThan(Date.now() / 1000 + 3700);
  });

  test('another pool, an unknown identity and an unknown operation are 400s with the service error type', async () => {
    const pool = await identityCall(stack, 'GetId', {
      IdentityPoolId: 'us-east-1:11111111-1111-1111-1111-111111111111',
    });
    expect(pool).toMatchObject({ status: 400, body: { __type: 'ResourceNotFoundException' } });
    const identity = await identityCall(stack, 'GetCredentialsForIdentity', {
      IdentityId: 'us-east-1:00000000-0000-0000-0000-000000000000',
    });
    expect(identity).toMatchObject({ status: 400, body: { __type: 'ResourceNotFoundException' } });
    const logins = await identityCall(stack, 'GetId', {
      IdentityPoolId: stack.identity.pool.identityPoolId,
      Logins: { 'accounts.google.com': 'x' },
    });
    expect(logins).toMatchObject({ status: 400, body: { __type: 'NotAuthorizedException' } });
    expect(await identityCall(stack, 'DeleteIdentities', {})).toMatchObject({
      status: 400,
      body: { __type: 'UnknownOperationException' },
    });
  });

  test('the example app origin may call it; another origin gets no CORS grant', async () => {
    const ok = await identityCall(
      stack,
      'GetId',
      { IdentityPoolId: stack.identity.pool.identityPoolId },
      { Origin: ORIGIN },
    );
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const other = await identityCall(
      stack,
      'GetId',
      { IdentityPoolId: stack.identity.pool.identityPoolId },
      { Origin: 'https://evil.example' },
    );
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the local API checks SigV4 like API Gateway AWS_IAM', () => {
  test('the local gateway errors are the deployed ones (lib/gateway-responses.ts)', () => {
    for (const [type, local] of Object.entries(LOCAL_GATEWAY_ERRORS)) {
      const deployed = gatewayErrors(LivenessAuthorization.IAM).find((e) => e.type.responseType === type);
      expect({ type, code: deployed?.code, message: deployed?.message }).toEqual({ type, ...local });
    }
  });

  test('unsigned: 403 FORBIDDEN JSON with CORS and a request id', async () => {
    const res = await fetch(`${stack.api.url}/sessions`, { method: 'POST', headers: { Origin: ORIGIN } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error).toEqual({
      code: 'FORBIDDEN',
      message: LOCAL_GATEWAY_ERRORS.MISSING_AUTHENTICATION_TOKEN.message,
      requestId: expect.any(String),
    });
    expect(res.headers.get('x-request-id')).toBe(body.error.requestId);
  });

  test('a signature that does not match the request is refused', async () => {
    const caller = newLocalCaller(stack);
    const url = `${stack.api.url}/sessions`;
    const signer = createRequestSigner({ credentials: caller.credentials, region: LOCAL_REGION });
    const headers = await signer({
      method: 'POST',
      url,
      headers: new Headers({ 'Content-Type': 'application/json', Origin: ORIGIN }),
      body: '{}',
    });
    // The body changed after signing
    const res = await fetch(url, { method: 'POST', headers, body: '{"auditImagesLimit":1}' });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await res.json()).toMatchObject({
      error: { code: 'INVALID_SIGNATURE', message: LOCAL_GATEWAY_ERRORS.INVALID_SIGNATURE.message },
    });
  });

  test('a request signed for one body and sent with another is refused, whatever X-Amz-Content-Sha256 claims', async () => {
    // GIVEN a request signed with the hash of {} in a signed X-Amz-Content-Sha256 header
    const caller = newLocalCaller(stack);
    const url = `${stack.api.url}/sessions`;
    const signer = createRequestSigner({ credentials: caller.credentials, region: LOCAL_REGION });
    const headers = await signer({
      method: 'POST',
      url,
      headers: new Headers({ 'Content-Type': 'application/json', 'X-Amz-Content-Sha256': sha256Hex('{}') }),
      body: '{}',
    });
    expect(headers.get('authorization')).toMatch(/SignedHeaders=[^,]*x-amz-content-sha256/);

    // WHEN it is sent with another body, THEN API Gateway's answer: the signature does not match
    const replayed = await fetch(url, { method: 'POST', headers, body: '{"auditImagesLimit":4}' });
    expect(replayed.status).toBe(403);
    expect(await replayed.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });

    // and with the body it was signed for, it is accepted
    const sent = await fetch(url, { method: 'POST', headers, body: '{}' });
    expect(sent.status).toBe(201);
  });

  test('UNSIGNED-PAYLOAD is refused: the API takes signed bodies only', async () => {
    const caller = newLocalCaller(stack);
    const url = `${stack.api.url}/sessions`;
    const signer = createRequestSigner({ credentials: caller.credentials, region: LOCAL_REGION });
    for (const body of ['{}', '{"auditImagesLimit":4}']) {
      const headers = await signer({
        method: 'POST',
        url,
        headers: new Headers({ 'Content-Type': 'application/json', 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' }),
        body,
      });
      const res = await fetch(url, { method: 'POST', headers, body });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    }
  });

  test('credentials the identity pool never issued are refused', async () => {
    const url = `${stack.api.url}/sessions`;
    const signer = createRequestSigner({
      credentials: { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'x'.repeat(40) },
      region: LOCAL_REGION,
    });
    const headers = await signer({ method: 'POST', url, headers: new Headers({ Origin: ORIGIN }), body: '{}' });
    const res = await fetch(url, { method: 'POST', headers, body: '{}' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
  });

  test('a signature for another region or service is refused', async () => {
    const caller = newLocalCaller(stack);
    const url = `${stack.api.url}/sessions`;
    for (const options of [{ region: 'eu-west-1' }, { region: LOCAL_REGION, service: 'lambda' }]) {
      const headers = await createRequestSigner({ credentials: caller.credentials, ...options })({
        method: 'POST',
        url,
        headers: new Headers(),
        body: '{}',
      });
      const res = await fetch(url, { method: 'POST', headers, body: '{}' });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    }
  });

  test("a signed request's owner is the reference of its caller's identity id, as deployed (never the id itself)", async () => {
    const caller = newLocalCaller(stack);
    const created = await caller.client.createSession();
    const owner = await ownerOf(stack, created.sessionId);
    expect(owner).toMatch(/^[0-9a-f]{32}$/);
    // The credentials were issued to that identity
    const creds = await caller.credentials();
    const identityId = stack.identity.pool.lookup(creds.accessKeyId)?.identityId;
    expect(owner).toBe(ownerRef(`cognito:${identityId}`, stack.handlerEnv[HANDLER_ENV.OWNER_REF_KEY]));
  });

  test('two identities: each owns its sessions and has its own lockout', async () => {
    const alice = newLocalCaller(stack);
    const bob = newLocalCaller(stack);
    // GIVEN alice fails lockoutMaxFailures (2) checks
    stack.emulator.defaults.set({ outcome: { confidence: 5 } });
    const alices: string[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await alice.client.createSession();
      alices.push(s.sessionId);
      expect(await alice.client.waitForResult(s.sessionId)).toMatchObject({ isLive: false });
    }
    stack.emulator.defaults.set({ outcome: { confidence: 99 } });
    // THEN alice is locked out, bob is not, and bob cannot read alice's sessions
    await expect(alice.client.createSession()).rejects.toMatchObject({ code: 'LOCKED_OUT' });
    const bobs = await bob.client.createSession();
    expect(await bob.client.waitForResult(bobs.sessionId)).toMatchObject({ isLive: true });
    await expect(bob.client.getResult(alices[0]!)).rejects.toMatchObject({ status: 404 });
    // AND the control endpoint clears the lockout
    const cleared = await fetch(`${stack.emulator.controlUrl}/lockouts`, { method: 'DELETE' });
    expect(await cleared.json()).toMatchObject({ cleared: expect.any(Number) });
    await expect(alice.client.createSession()).resolves.toMatchObject({ sessionId: expect.any(String) });
  });
});

describe('expired credentials', () => {
  let short: LocalBackend;
  beforeAll(async () => {
    short = await startLocalBackend({
      apiPort: 0,
      emulatorPort: 0,
      honourEnvironment: false,
      credentialsTtlSeconds: 1,
    });
  });
  afterAll(() => short.close());

  test('a correct signature with expired credentials is refused as expired', async () => {
    const id = short.identity.pool.getId(short.identity.pool.identityPoolId);
    const issued = short.identity.pool.getCredentialsForIdentity(id);
    await new Promise((r) => setTimeout(r, 1_100));
    // Static credentials: nothing refreshes them
    const { accessKeyId, secretAccessKey, sessionToken } = issued;
    const url = `${short.api.url}/sessions`;
    const headers = await createRequestSigner({
      credentials: { accessKeyId, secretAccessKey, sessionToken },
      region: LOCAL_REGION,
    })({
      method: 'POST',
      url,
      headers: new Headers({ Origin: ORIGIN }),
      body: '{}',
    });
    const res = await fetch(url, { method: 'POST', headers, body: '{}' });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await res.json()).toMatchObject({
      error: { code: 'CREDENTIALS_EXPIRED', message: LOCAL_GATEWAY_ERRORS.EXPIRED_TOKEN.message },
    });
  });
});

describe('no request target or query string produces a 500', () => {
  test.each([
    '__proto__=1',
    'constructor=1',
    'toString=1',
    'valueOf=x',
    'hasOwnProperty=1&hasOwnProperty=2',
    '%E0%A4%A=1',
  ])('signed GET result with ?%s answers 4xx or 200, never 5xx', async (query) => {
    const caller = newLocalCaller(stack);
    const created = await caller.client.createSession();
    const res = await caller.fetch(`${stack.api.url}/sessions/${created.sessionId}/result?${query}`, {
      headers: { Origin: ORIGIN },
    });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
  });

  test.each(['http://[::1/x', '*'])('request target %s is a 400 with a request id and CORS', async (target) => {
    const res = await rawTarget(stack, 'POST', target);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  test('the router answers 404, 405 and preflights with X-Request-Id', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['DELETE', '/sessions'],
      ['OPTIONS', '/sessions'],
    ] as const) {
      const res = await rawTarget(stack, method, path);
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
    }
  });
});
