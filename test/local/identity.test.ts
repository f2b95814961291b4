/**
 * Identity verification through local mode: the app backend opens a check (signed with local mode's backend
 * credentials), the browser (a guest identity) creates a session carrying only the token, the emulator says who is in
 * front of the camera (PUT /_emulator/defaults {"outcome":{"person":…}}), and the result carries the outcome decided
 * with the verdict and signed in its attestation.
 */
import type { FinishedResult } from '../../contract/api-types';
import { JWKS_PATH } from '../../contract/attestation';
import { HANDLER_ENV } from '../../contract/handler-environment';
import {
  REFERENCE_PHOTO_KEY_PREFIX,
  type CreateIdentityCheckResponse,
  type EraseSubjectResponse,
  type IdentityMethod,
} from '../../contract/identity';
import { checkIdOf, subjectRefOf } from '../../lambda/shared/identity-records';
import { LOCAL_REFERENCE_PHOTO_SOURCE } from '../../contract/local-mode';
import { verifyAttestation } from '../../client/server';
import { idPhoto } from '../../local/emulators/rekognition';
import type { PersonId } from '../../local/emulators/rekognition/people';
import { LOCAL_ATTESTATION_ISSUER, LOCAL_IMAGE_BUCKET, startLocalBackend, type LocalBackend } from '../../local/stack';
import { backendFetch } from '../support/local-backend-caller';
import { newLocalCaller, type LocalCaller } from '../support/local-identity';

let stack: LocalBackend;
let browser: LocalCaller;

beforeAll(async () => {
  stack = await startLocalBackend({
    apiPort: 0,
    emulatorPort: 0,
    honourEnvironment: false,
    settings: { lockoutMaxFailures: 0 },
  });
  browser = newLocalCaller(stack);
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.emulator.reset();
  stack.emulator.defaults.set({ startAfterMs: 20, completeAfterMs: 80 });
});

/** Who is in front of the camera for the next sessions, through the emulator's control endpoint. */
async function inFrontOfCamera(person: PersonId | 'none', outcome: Record<string, unknown> = {}): Promise<void> {
  const response = await fetch(`${stack.emulator.controlUrl}/defaults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ outcome: { person, ...outcome } }),
  });
  expect(response.status).toBe(200);
}

async function openCheck(body: Record<string, unknown>): Promise<CreateIdentityCheckResponse> {
  const response = await backendFetch(`${stack.api.url}/identity/checks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect({ status: response.status, text }).toEqual({ status: 201, text: expect.any(String) });
  const opened = JSON.parse(text) as CreateIdentityCheckResponse;
  return opened;
}

const photo = (...faces: PersonId[]) => ({ bytes: idPhoto({ faces }).toString('base64') });

/** The browser's part: a session carrying only the token, polled to its result. */
async function liveSession(checkToken: string): Promise<FinishedResult> {
  const created = await browser.client.createSession({ identityCheck: checkToken });
  return (await browser.client.waitForResult(created.sessionId)) as FinishedResult;
}

async function check(
  method: IdentityMethod,
  subject: string,
  extra: Record<string, unknown> = {},
): Promise<FinishedResult> {
  const { checkToken } = await openCheck({ subject, method, ...extra });
  return liveSession(checkToken);
}

function claims(result: FinishedResult): Record<string, unknown> {
  return JSON.parse(Buffer.from(result.attestation!.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

async function erase(subject: string): Promise<EraseSubjectResponse> {
  const response = await backendFetch(`${stack.api.url}/identity/subjects/${encodeURIComponent(subject)}`, {
    method: 'DELETE',
  });
  expect(response.status).toBe(200);
  return (await response.json()) as EraseSubjectResponse;
}

describe('reference: the live face against an ID photo', () => {
  it('the same person matches, and the attestation carries the match', async () => {
    await inFrontOfCamera('p1');
    const { checkToken } = await openCheck({ subject: 'user-1', method: 'reference', referencePhoto: photo('p1') });
    const key = `${REFERENCE_PHOTO_KEY_PREFIX}${subjectRefOf('user-1', stack.handlerEnv[HANDLER_ENV.OWNER_REF_KEY])}/${checkIdOf(checkToken)}`;
    // Stored under the subject's keyed reference, never the app's id.
    expect(stack.s3.direct.get(LOCAL_IMAGE_BUCKET, key)).toBeDefined();
    const result = await liveSession(checkToken);
    expect(result).toMatchObject({
      isLive: true,
      identity: { method: 'reference', subject: 'user-1', matched: true, threshold: 99 },
    });
    expect(result.identity).not.toHaveProperty('similarity');
    const verified = await verifyAttestation(result.attestation!, {
      jwks: `${stack.api.url}${JWKS_PATH}`,
      issuer: LOCAL_ATTESTATION_ISSUER,
    });
    expect(verified.match).toEqual({ method: 'reference', matched: true, threshold: 99, subject: 'user-1' });
    expect(JSON.stringify(claims(result))).not.toMatch(/similarity|99\.5/);
    // The photo this backend stored for the check is deleted once the verdict is decided.
    expect(stack.s3.direct.get(LOCAL_IMAGE_BUCKET, key)).toBeUndefined();
  });

  it('another person does not match: BELOW_THRESHOLD, and the attestation says matched:false', async () => {
    await inFrontOfCamera('p2');
    const result = await check('reference', 'user-1', { referencePhoto: photo('p1') });
    expect(result.isLive).toBe(true);
    expect(result.identity).toMatchObject({ matched: false, reason: 'BELOW_THRESHOLD' });
    expect(claims(result).match).toEqual({
      method: 'reference',
      matched: false,
      reason: 'BELOW_THRESHOLD',
      threshold: 99,
      subject: 'user-1',
    });
  });

  it('an ID photo with no face gives NO_FACE_IN_REFERENCE, with two faces MULTIPLE_FACES', async () => {
    await inFrontOfCamera('p1');
    const none = await check('reference', 'user-1', { referencePhoto: photo() });
    expect(none.identity).toMatchObject({ matched: false, reason: 'NO_FACE_IN_REFERENCE' });
    const two = await check('reference', 'user-1', { referencePhoto: photo('p1', 'p2') });
    expect(two.identity).toMatchObject({ matched: false, reason: 'MULTIPLE_FACES' });
  });

  it('a failed liveness check is never matched, whatever the photo', async () => {
    await inFrontOfCamera('p1', { confidence: 10 });
    const result = await check('reference', 'user-1', { referencePhoto: photo('p1') });
    expect(result).toMatchObject({ isLive: false, identity: { matched: false, reason: 'NOT_LIVE' } });
    expect(claims(result)).toMatchObject({ live: false, match: { matched: false, reason: 'NOT_LIVE' } });
  });

  it('reads a photo from an allowed S3 source, and refuses one elsewhere', async () => {
    await inFrontOfCamera('p3');
    stack.s3.direct.put(
      LOCAL_REFERENCE_PHOTO_SOURCE.bucket,
      `${LOCAL_REFERENCE_PHOTO_SOURCE.prefix}p3.jpg`,
      idPhoto({ faces: ['p3'] }),
      {
        'content-type': 'image/jpeg',
      },
    );
    const result = await check('reference', 'user-3', {
      referencePhoto: {
        s3Object: { bucket: LOCAL_REFERENCE_PHOTO_SOURCE.bucket, name: `${LOCAL_REFERENCE_PHOTO_SOURCE.prefix}p3.jpg` },
      },
    });
    expect(result.identity).toMatchObject({ matched: true });
    const refused = await backendFetch(`${stack.api.url}/identity/checks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        subject: 'user-3',
        method: 'reference',
        referencePhoto: { s3Object: { bucket: LOCAL_REFERENCE_PHOTO_SOURCE.bucket, name: 'elsewhere/p3.jpg' } },
      }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'REFERENCE_PHOTO_NOT_ALLOWED' } });
  });
});

describe('enrol, then verify against the enrolled face', () => {
  it('unenrolled: SUBJECT_NOT_ENROLLED; enrolled: the same person matches, another does not; erased: no longer', async () => {
    await inFrontOfCamera('p4');
    const before = await check('enrolled', 'user-4');
    expect(before.identity).toMatchObject({ method: 'enrolled', matched: false, reason: 'SUBJECT_NOT_ENROLLED' });

    const enrolled = await check('enrol', 'user-4');
    expect(enrolled.identity).toMatchObject({ method: 'enrol', subject: 'user-4', matched: true });

    const same = await check('enrolled', 'user-4');
    expect(same.identity).toMatchObject({ method: 'enrolled', matched: true });
    expect(claims(same).match).toMatchObject({ method: 'enrolled', matched: true, subject: 'user-4' });

    await inFrontOfCamera('p5');
    const other = await check('enrolled', 'user-4');
    expect(other.identity).toMatchObject({ matched: false, reason: 'BELOW_THRESHOLD' });

    expect(await erase('user-4')).toEqual({ subject: 'user-4', facesDeleted: 1, referencePhotosDeleted: 0 });
    await inFrontOfCamera('p4');
    const after = await check('enrolled', 'user-4');
    expect(after.identity).toMatchObject({ matched: false, reason: 'SUBJECT_NOT_ENROLLED' });
    // Erasing again is idempotent.
    expect(await erase('user-4')).toEqual({ subject: 'user-4', facesDeleted: 0, referencePhotosDeleted: 0 });
  });

  it('re-enrolment keeps one face; a face enrolled for another subject is reported, not enrolled again', async () => {
    await inFrontOfCamera('p6');
    expect((await check('enrol', 'user-6')).identity).toMatchObject({ matched: true });
    expect((await check('enrol', 'user-6')).identity).toMatchObject({ matched: true });
    const faces = (await (await fetch(`${stack.emulator.controlUrl}/collections`)).json()) as {
      collections: { faces: { person?: string }[] }[];
    };
    expect(faces.collections.flatMap((c) => c.faces).filter((f) => f.person === 'p6')).toHaveLength(1);

    const duplicate = await check('enrol', 'user-7');
    expect(duplicate.identity).toMatchObject({ matched: false, reason: 'FACE_ENROLLED_FOR_ANOTHER_SUBJECT' });
    // Another subject's face: ANOTHER_SUBJECT for a subject enrolled with someone else's face.
    await inFrontOfCamera('p7');
    expect((await check('enrol', 'user-7')).identity).toMatchObject({ matched: true });
    await inFrontOfCamera('p6');
    expect((await check('enrolled', 'user-7')).identity).toMatchObject({ matched: false, reason: 'ANOTHER_SUBJECT' });
    await erase('user-6');
    await erase('user-7');
  });
});

describe('the browser cannot choose the photo, the subject or the method', () => {
  it.each([
    ['subject', { subject: 'someone-else' }],
    ['referencePhoto', { referencePhoto: { bytes: 'AAAA' } }],
    ['method', { method: 'reference' }],
  ])('POST /sessions with %s: 400 unknown field', async (field, extra) => {
    const response = await browser.fetch(`${stack.api.url}/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(extra),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.message).toContain(`unknown field "${field}"`);
  });

  it('guest credentials on a backend route: 403, as IAM denies the identity pool roles', async () => {
    for (const [method, path, body] of [
      ['POST', '/identity/checks', JSON.stringify({ subject: 'user-1', method: 'enrol' })],
      ['DELETE', '/identity/subjects/user-1', undefined],
    ] as const) {
      const response = await browser.fetch(`${stack.api.url}${path}`, {
        method,
        ...(body !== undefined && { headers: { 'Content-Type': 'application/json' }, body }),
      });
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    const unsigned = await fetch(`${stack.api.url}/identity/checks`, { method: 'POST' });
    expect(unsigned.status).toBe(403);
  });

  it('a token binds one session only: a second session with it is IDENTITY_CHECK_INVALID', async () => {
    const { checkToken } = await openCheck({ subject: 'user-8', method: 'enrolled' });
    await browser.client.createSession({ identityCheck: checkToken });
    const again = await browser.fetch(`${stack.api.url}/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identityCheck: checkToken }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({
      error: { code: 'IDENTITY_CHECK_INVALID', message: expect.stringMatching(/already used/) },
    });
    const unknown = await browser.fetch(`${stack.api.url}/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identityCheck: 'A'.repeat(43) }),
    });
    expect(await unknown.json()).toMatchObject({
      error: { code: 'IDENTITY_CHECK_INVALID', message: expect.stringMatching(/unknown/) },
    });
  });
});
