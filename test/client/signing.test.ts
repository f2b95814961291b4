import {
  cognitoGuestCredentials,
  createLivenessClient,
  createRequestSigner,
  LivenessCredentialsError,
  LivenessValidationError,
  regionFromApiUrl,
  type AwsCredentials,
} from '../../client';
import type { RecordedRequest } from './support/http-server';
import { fakeClock } from './support/fake-clock';
import { startFakeCognito, type FakeCognito } from './support/fake-cognito';
import { live, startFakeLivenessApi, type FakeLivenessApi } from './support/fake-liveness-api';
import { createSigV4Verifier, type IssuedCredentials, type Verdict } from './support/sigv4-verifier';

const REGION = 'eu-west-1';
const POOL_ID = `${REGION}:4a9d2c1e-0f3b-4c5d-8e7f-112233445566`;
const STATIC: AwsCredentials = {
  accessKeyId: 'ASIATESTKEY0000001',
  secretAccessKey: 'test/secret+key=0000000000000000000000',
  sessionToken: 'test-session-token',
};

let issued: Map<string, IssuedCredentials>;
let verdicts: Verdict[];
let api: FakeLivenessApi;

/** The fake API with IAM auth: every request must carry a valid signature by credentials in `issued`. */
async function startIamApi(): Promise<FakeLivenessApi> {
  const verify = createSigV4Verifier({ region: REGION, credentials: issued });
  return startFakeLivenessApi({
    region: REGION,
    script: [live()],
    authorize: async (request: RecordedRequest) => {
      const verdict = await verify(request);
      verdicts.push(verdict);
      return verdict.ok ? undefined : 'FORBIDDEN';
    },
  });
}

beforeEach(async () => {
  issued = new Map([
    [STATIC.accessKeyId, { secretAccessKey: STATIC.secretAccessKey, sessionToken: STATIC.sessionToken }],
  ]);
  verdicts = [];
  api = await startIamApi();
});

afterEach(async () => {
  await api.close();
});

describe('SigV4 signing', () => {
  test('signed POST and GET pass a server that recomputes the signature', async () => {
    // GIVEN
    const client = createLivenessClient({ apiUrl: api.url, credentials: STATIC, region: REGION });

    // WHEN
    const { sessionId } = await client.createSession({ auditImagesLimit: 1 });
    const result = await client.getResult(sessionId);

    // THEN
    expect(result).toMatchObject({ done: true, isLive: true });
    expect(verdicts).toEqual([
      { ok: true, accessKeyId: STATIC.accessKeyId },
      { ok: true, accessKeyId: STATIC.accessKeyId },
    ]);
    const post = api.requests[0]!;
    expect(post.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${STATIC.accessKeyId}/\\d{8}/${REGION}/execute-api/aws4_request, ` +
          'SignedHeaders=[a-z0-9;-]*host;[a-z0-9;-]*x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$',
      ),
    );
    expect(post.headers['x-amz-security-token']).toBe(STATIC.sessionToken);
  });

  test('the verifier is not a rubber stamp: a wrong secret gets 403 FORBIDDEN', async () => {
    const client = createLivenessClient({
      apiUrl: api.url,
      credentials: { ...STATIC, secretAccessKey: 'wrong' },
      region: REGION,
    });

    await expect(client.createSession()).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN', retryable: false });

    expect(verdicts[0]).toMatchObject({ ok: false, reason: expect.stringMatching(/signature mismatch/) });
  });

  test('a body changed after signing is caught', async () => {
    const sign = createRequestSigner({ credentials: STATIC, region: REGION });
    const tampering: typeof fetch = (input, init) => fetch(input, { ...init, body: '{"auditImagesLimit":4}' });
    const client = createLivenessClient({ apiUrl: api.url, signer: sign, fetch: tampering });

    await expect(client.createSession({ auditImagesLimit: 0 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  test('signs for the region in an execute-api URL', () => {
    expect(regionFromApiUrl('https://a1b2c3.execute-api.ap-southeast-5.amazonaws.com/v1/')).toBe('ap-southeast-5');
    expect(regionFromApiUrl('https://liveness.example.com/')).toBeUndefined();
    expect(() => createLivenessClient({ apiUrl: api.url, credentials: STATIC })).toThrow(LivenessValidationError);
    expect(() =>
      createLivenessClient({ apiUrl: api.url, credentials: STATIC, signer: async (r) => r.headers }),
    ).toThrow(/either/);
  });

  test('a credentials provider is called once, then again only when its credentials near expiry', async () => {
    const time = fakeClock();
    const provider = jest.fn(async () => ({ ...STATIC, expiration: new Date(time.now() + 5 * 60_000) }));
    const client = createLivenessClient({ apiUrl: api.url, credentials: provider, region: REGION, clock: time.clock });
    const sessionId = api.addSession();

    await client.getResult(sessionId);
    await client.getResult(sessionId);
    expect(provider).toHaveBeenCalledTimes(1);

    time.advance(4.5 * 60_000);
    await client.getResult(sessionId);
    expect(provider).toHaveBeenCalledTimes(2);
  });

  test('a failing provider is a LivenessCredentialsError, and nothing is sent', async () => {
    const client = createLivenessClient({
      apiUrl: api.url,
      region: REGION,
      credentials: async () => {
        throw new Error('no profile');
      },
    });
    await expect(client.createSession()).rejects.toMatchObject({
      name: 'LivenessCredentialsError',
      message: /no profile/,
    });
    expect(api.requests).toHaveLength(0);
  });
});

describe('cognitoGuestCredentials', () => {
  let cognito: FakeCognito;

  beforeEach(async () => {
    cognito = await startFakeCognito({ identityPoolId: POOL_ID, credentialsTtlSeconds: 3600 });
    issued = cognito.issued; // the API now trusts what the identity pool issues, as IAM does
    await api.close();
    api = await startIamApi();
  });

  afterEach(async () => {
    await cognito.close();
  });

  test('gets guest credentials the way a browser does, and the API accepts them', async () => {
    // GIVEN
    const credentials = cognitoGuestCredentials({ identityPoolId: POOL_ID, endpoint: cognito.endpoint });
    const client = createLivenessClient({ apiUrl: api.url, credentials, region: REGION });

    // WHEN
    const { sessionId } = await client.createSession();
    await client.waitForResult(sessionId);

    // THEN
    expect(verdicts.every((v) => v.ok)).toBe(true);
    expect(cognito.calls).toEqual(['GetId', 'GetCredentialsForIdentity']);
    const [getId, getCredentials] = cognito.requests;
    expect(getId!.headers).toMatchObject({
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityService.GetId',
    });
    expect(getId!.headers.authorization).toBeUndefined();
    expect(JSON.parse(getId!.body)).toEqual({ IdentityPoolId: POOL_ID });
    expect(JSON.parse(getCredentials!.body)).toEqual({ IdentityId: expect.stringMatching(new RegExp(`^${REGION}:`)) });
  });

  test('reuses credentials until near expiry, then refreshes them for the same identity', async () => {
    const time = fakeClock();
    const credentials = cognitoGuestCredentials({
      identityPoolId: POOL_ID,
      endpoint: cognito.endpoint,
      clock: time.clock,
    });

    const first = await credentials();
    await credentials();
    expect(cognito.calls).toEqual(['GetId', 'GetCredentialsForIdentity']);
    expect(first.expiration!.getTime()).toBeGreaterThan(Date.now() + 3500_000);

    time.advance(3600_000);
    const second = await credentials();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(cognito.calls).toEqual(['GetId', 'GetCredentialsForIdentity', 'GetCredentialsForIdentity']);
  });

  test('concurrent first requests share one Cognito round trip', async () => {
    const credentials = cognitoGuestCredentials({ identityPoolId: POOL_ID, endpoint: cognito.endpoint });
    const all = await Promise.all([credentials(), credentials(), credentials()]);
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
    expect(cognito.calls).toEqual(['GetId', 'GetCredentialsForIdentity']);
  });

  test("an identity pool's error is a typed LivenessCredentialsError, and the next call starts over", async () => {
    const credentials = cognitoGuestCredentials({ identityPoolId: POOL_ID, endpoint: cognito.endpoint });
    cognito.failNext('NotAuthorizedException', 400);
    const client = createLivenessClient({ apiUrl: api.url, credentials, region: REGION });

    const error = await client.createSession().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LivenessCredentialsError);
    expect(error).toMatchObject({ awsErrorType: 'NotAuthorizedException', status: 400, retryable: false });
    expect(api.requests).toHaveLength(0);
    await expect(client.createSession()).resolves.toMatchObject({ region: REGION });
  });

  test('an unknown pool and a malformed pool id are clear errors', async () => {
    const other = cognitoGuestCredentials({
      identityPoolId: `${REGION}:00000000-0000-0000-0000-000000000000`,
      endpoint: cognito.endpoint,
    });
    await expect(other()).rejects.toMatchObject({ awsErrorType: 'ResourceNotFoundException', message: /not found/ });
    expect(() => cognitoGuestCredentials({ identityPoolId: 'not-a-pool' })).toThrow(LivenessValidationError);
  });

  test('an unreachable identity service is a retryable LivenessCredentialsError', async () => {
    await cognito.close();
    const credentials = cognitoGuestCredentials({ identityPoolId: POOL_ID, endpoint: cognito.endpoint });
    await expect(credentials()).rejects.toMatchObject({ name: 'LivenessCredentialsError', retryable: true });
    cognito = await startFakeCognito({ identityPoolId: POOL_ID }); // for afterEach
  });
});
