/**
 * The server entry's identity checks against the fake of this API: the backend routes signed with the app backend's
 * own credentials (SigV4, recomputed by the fake), the request bodies, the checks made before any request, and the
 * browser's half (createSession with the token, the result carrying the identity outcome).
 */
import { createLivenessClient, LivenessApiError, LivenessResponseError, LivenessValidationError } from '../../client';
import { createIdentityChecks, type IdentityChecks } from '../../client/server';
import type { RecordedRequest } from './support/http-server';
import { live, notLive, raw, startFakeLivenessApi, type FakeLivenessApi } from './support/fake-liveness-api';
import { createSigV4Verifier, type Verdict } from './support/sigv4-verifier';

const REGION = 'eu-west-1';
const BACKEND = { accessKeyId: 'ASIABACKEND0000001', secretAccessKey: 'backend/secret', sessionToken: 'backend-token' };
const GUEST = { accessKeyId: 'ASIAGUEST000000001', secretAccessKey: 'guest/secret', sessionToken: 'guest-token' };
/** The smallest byte strings the client takes for a JPEG and a PNG. */
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9]);

let api: FakeLivenessApi;
let backendVerdicts: Verdict[];
let checks: IdentityChecks;

beforeEach(async () => {
  backendVerdicts = [];
  const backend = createSigV4Verifier({
    region: REGION,
    credentials: new Map([[BACKEND.accessKeyId, BACKEND]]),
  });
  const guest = createSigV4Verifier({ region: REGION, credentials: new Map([[GUEST.accessKeyId, GUEST]]) });
  api = await startFakeLivenessApi({
    region: REGION,
    script: [live()],
    // As IAM would: the backend routes are the app backend's only, the browser routes the guest's.
    authorizeBackend: async (request: RecordedRequest) => {
      const verdict = await backend(request);
      backendVerdicts.push(verdict);
      return verdict.ok ? undefined : 'FORBIDDEN';
    },
    authorize: async (request) => ((await guest(request)).ok ? undefined : 'FORBIDDEN'),
  });
  checks = createIdentityChecks({ apiUrl: api.url, credentials: BACKEND, region: REGION });
});

afterEach(() => api.close());

const lastBody = () => JSON.parse(api.requests.at(-1)!.body) as Record<string, unknown>;

describe('openIdentityCheck', () => {
  test('POSTs the subject, method and photo bytes (base64), signed with the backend credentials', async () => {
    const opened = await checks.openIdentityCheck({
      subject: 'user-42',
      method: 'reference',
      referencePhoto: { bytes: JPEG },
    });

    expect(opened).toEqual({ checkToken: expect.stringMatching(/^[\w-]{43}$/), expiresAt: expect.any(String) });
    expect(backendVerdicts).toEqual([{ ok: true, accessKeyId: BACKEND.accessKeyId }]);
    const request = api.requests[0]!;
    expect([request.method, request.url]).toEqual(['POST', '/v1/identity/checks']);
    expect(lastBody()).toEqual({
      subject: 'user-42',
      method: 'reference',
      referencePhoto: { bytes: Buffer.from(JPEG).toString('base64') },
    });
  });

  test('an S3 reference photo and a stricter threshold pass through as given', async () => {
    await checks.openIdentityCheck({
      subject: 'user-42',
      method: 'reference',
      referencePhoto: { s3Object: { bucket: 'id-docs', name: 'scans/42.png', version: 'v3' } },
      threshold: 99.5,
    });
    expect(lastBody()).toEqual({
      subject: 'user-42',
      method: 'reference',
      referencePhoto: { s3Object: { bucket: 'id-docs', name: 'scans/42.png', version: 'v3' } },
      threshold: 99.5,
    });
  });

  test('enrol and enrolled take no photo; a PNG is a photo too', async () => {
    await checks.openIdentityCheck({ subject: 'user-42', method: 'enrol' });
    expect(lastBody()).toEqual({ subject: 'user-42', method: 'enrol' });
    await checks.openIdentityCheck({ subject: 'user-42', method: 'reference', referencePhoto: { bytes: PNG } });
    expect(lastBody()).toMatchObject({ referencePhoto: { bytes: Buffer.from(PNG).toString('base64') } });
  });

  test.each([
    ['a subject with a space', { subject: 'user 42', method: 'enrol' }, 'subject'],
    ['an empty subject', { subject: '', method: 'enrol' }, 'subject'],
    ['a subject of 129 characters', { subject: 'a'.repeat(129), method: 'enrol' }, 'subject'],
    ['an unknown method', { subject: 'u', method: 'selfie' }, 'method'],
    ['reference without a photo', { subject: 'u', method: 'reference' }, 'referencePhoto'],
    ['enrolled with a photo', { subject: 'u', method: 'enrolled', referencePhoto: { bytes: JPEG } }, 'referencePhoto'],
    [
      'a GIF',
      { subject: 'u', method: 'reference', referencePhoto: { bytes: Buffer.from('GIF89a') } },
      'referencePhoto',
    ],
    ['no bytes', { subject: 'u', method: 'reference', referencePhoto: { bytes: new Uint8Array() } }, 'referencePhoto'],
    [
      'a photo over 5 MB',
      { subject: 'u', method: 'reference', referencePhoto: { bytes: new Uint8Array(5 * 1024 * 1024 + 1).fill(0xff) } },
      'referencePhoto',
    ],
    [
      'an S3 object without a bucket',
      { subject: 'u', method: 'reference', referencePhoto: { s3Object: { bucket: '', name: 'k' } } },
      'referencePhoto',
    ],
    ['a threshold above 100', { subject: 'u', method: 'enrol', threshold: 101 }, 'threshold'],
  ])('%s is refused before any request, naming the field', async (_name, input, field) => {
    await expect(checks.openIdentityCheck(input as never)).rejects.toMatchObject({
      constructor: LivenessValidationError,
      field,
    });
    expect(api.requests).toHaveLength(0);
  });

  test('the threshold message names the 0–100 scale, against the 0.9 unit error', async () => {
    await expect(checks.openIdentityCheck({ subject: 'u', method: 'enrol', threshold: -0.9 })).rejects.toThrow(
      /0 to 100 .*not a 0–1 ratio/,
    );
  });

  test('a threshold below the backend floor is the API’s to refuse: VALIDATION_ERROR, as an API error', async () => {
    await expect(checks.openIdentityCheck({ subject: 'u', method: 'enrol', threshold: 0.9 })).rejects.toMatchObject({
      constructor: LivenessApiError,
      code: 'VALIDATION_ERROR',
      status: 400,
    });
  });

  test('guest (browser) credentials are refused on the backend routes: 403 FORBIDDEN', async () => {
    const asGuest = createIdentityChecks({ apiUrl: api.url, credentials: GUEST, region: REGION });
    await expect(asGuest.openIdentityCheck({ subject: 'u', method: 'enrol' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    expect(backendVerdicts[0]).toMatchObject({ ok: false });
  });

  test('without credentials there is nothing to sign with: refused at creation', () => {
    expect(() => createIdentityChecks({ apiUrl: api.url })).toThrow(/backend routes \(IAM only\)/);
  });

  test('a 200 that is not a check (a proxy) is a LivenessResponseError, not a token', async () => {
    const broken = createIdentityChecks({
      apiUrl: api.url,
      credentials: BACKEND,
      region: REGION,
      fetch: async () => new Response('<html>hi</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
    });
    await expect(broken.openIdentityCheck({ subject: 'u', method: 'enrol' })).rejects.toBeInstanceOf(
      LivenessResponseError,
    );
  });
});

describe('eraseSubject', () => {
  test('DELETEs the subject (URI-encoded) and returns the counts', async () => {
    await checks.openIdentityCheck({ subject: 'user:42', method: 'enrol' });
    api.enrolled.add('user:42');
    const erased = await checks.eraseSubject('user:42');
    expect(erased).toEqual({ subject: 'user:42', facesDeleted: 1, referencePhotosDeleted: 0 });
    const request = api.requests.at(-1)!;
    expect([request.method, request.url]).toEqual(['DELETE', '/v1/identity/subjects/user%3A42']);
    expect(backendVerdicts.every((v) => v.ok)).toBe(true);
  });

  test('an answer for another subject is not taken for this erasure', async () => {
    const lying = createIdentityChecks({
      apiUrl: api.url,
      credentials: BACKEND,
      region: REGION,
      fetch: async () =>
        Response.json({ subject: 'someone-else', facesDeleted: 1, referencePhotosDeleted: 0 }, { status: 200 }),
    });
    await expect(lying.eraseSubject('user-42')).rejects.toThrow(/not an erasure of this subject/);
  });

  test('a bad subject is refused before any request', async () => {
    await expect(checks.eraseSubject('../all')).rejects.toMatchObject({ field: 'subject' });
    expect(api.requests).toHaveLength(0);
  });
});

describe("the browser's half", () => {
  const browser = () => createLivenessClient({ apiUrl: api.url, credentials: GUEST, region: REGION });

  test('createSession sends only the token; the result carries the outcome the server decided', async () => {
    const { checkToken } = await checks.openIdentityCheck({
      subject: 'user-42',
      method: 'reference',
      referencePhoto: { bytes: JPEG },
    });
    const created = await browser().createSession({ identityCheck: checkToken });
    expect(lastBody()).toEqual({ identityCheck: checkToken });
    const result = await browser().getResult(created.sessionId);
    expect(result).toMatchObject({
      done: true,
      isLive: true,
      identity: { method: 'reference', subject: 'user-42', matched: true, threshold: 99 },
    });
  });

  test('a token is single-use: a second session with it gets IDENTITY_CHECK_INVALID', async () => {
    const { checkToken } = await checks.openIdentityCheck({ subject: 'user-42', method: 'enrol' });
    await browser().createSession({ identityCheck: checkToken });
    await expect(browser().createSession({ identityCheck: checkToken })).rejects.toMatchObject({
      code: 'IDENTITY_CHECK_INVALID',
      status: 400,
    });
  });

  test('a not-live verdict is never matched', async () => {
    const { checkToken } = await checks.openIdentityCheck({ subject: 'user-42', method: 'enrol' });
    const { sessionId } = await browser().createSession({ identityCheck: checkToken });
    api.script(sessionId, [notLive()]);
    expect((await browser().getResult(sessionId)) as unknown).toMatchObject({
      isLive: false,
      identity: { matched: false, reason: 'NOT_LIVE' },
    });
  });

  test('a malformed token is refused by the client, naming identityCheck', async () => {
    await expect(browser().createSession({ identityCheck: 'user-42' })).rejects.toMatchObject({
      field: 'identityCheck',
    });
    expect(api.requests).toHaveLength(0);
  });

  test('an identity outcome of the wrong shape makes the result untrusted', async () => {
    const sessionId = api.addSession([raw(200, '')]);
    api.script(sessionId, [
      raw(
        200,
        JSON.stringify({
          sessionId,
          status: 'SUCCEEDED',
          done: true,
          isLive: true,
          feedback: [],
          identity: { method: 'reference', subject: 'u', matched: 'yes', threshold: 99 },
        }),
        { 'Content-Type': 'application/json' },
      ),
    ]);
    await expect(browser().getResult(sessionId)).rejects.toBeInstanceOf(LivenessResponseError);
  });
});
