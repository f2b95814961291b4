/**
 * The wired identity function (POST /identity/checks, DELETE /identity/subjects/{subject}) through realistic API
 * Gateway events, Rekognition and S3 mocked, the table local: every validation rule, the photo stored under the
 * subject's keyed reference, the token never stored, browser callers refused, erasure, and no subject, photo or face
 * id in any log line.
 */
import 'aws-sdk-client-mock-jest';
import type { ErrorBody } from '../../contract/error-codes';
import { HANDLER_ENV, identityEnvironment } from '../../contract/handler-environment';
import type { CreateIdentityCheckResponse } from '../../contract/identity';
import { checkIdOf, dynamoIdentityRecords, subjectRefOf } from '../../lambda/shared/identity-records';
import { idPhoto } from '../../local/emulators/rekognition';
import { createIdentityCheckEvent, eraseSubjectEvent, lambdaContext } from '../support/api-event';
import { captureOutput, type CapturedOutput } from '../support/capture-output';
import { loadHandler, type LoadedHandler } from '../support/load-handler';
import { startTestTable, TEST_OWNER_REF_KEY, type TestTable } from '../support/session-table';

const BUCKET = 'liveness-images-123456789012';
const SOURCE = { bucket: 'kyc-documents', prefix: 'id-cards/' };
// Distinctive values, so a leak into a log line cannot hide.
const SUBJECT = 'customer:8f3a-SUBJECT-7781';
const PHOTO = idPhoto({ faces: ['p1'] });

let table: TestTable;
let loaded: LoadedHandler;
let output: CapturedOutput;
beforeAll(async () => {
  table = await startTestTable();
  loaded = loadHandler('identity', {
    ...table.env,
    [HANDLER_ENV.IMAGE_BUCKET]: BUCKET,
    [HANDLER_ENV.IMAGE_KEY_PREFIX]: 'liveness/',
    ...identityEnvironment({
      similarityThreshold: 99,
      collectionId: 'subjects',
      referencePhotoSources: [SOURCE],
    }),
  });
});
afterAll(() => table.close());
beforeEach(() => {
  loaded.rekognition.reset();
  loaded.s3!.reset();
  loaded.s3!.on(loaded.s3Sdk!.PutObjectCommand).resolves({});
  loaded.s3!.on(loaded.s3Sdk!.DeleteObjectCommand).resolves({});
  output = captureOutput();
});
afterEach(() => {
  const logs = output.text();
  output.restore();
  // No subject, photo, face id or token in any log line.
  for (const needle of [SUBJECT, PHOTO.toString('base64').slice(0, 40), 'face-id-0001'])
    expect(logs).not.toContain(needle);
});

const open = (body: unknown, options = {}) => loaded.handler(createIdentityCheckEvent(body, options), lambdaContext());
const errorOf = (body: string) => (JSON.parse(body) as ErrorBody).error;

describe('POST /identity/checks', () => {
  it('stores a photo sent as bytes under the subject reference and returns a one-time token, never stored itself', async () => {
    const response = await open({
      subject: SUBJECT,
      method: 'reference',
      referencePhoto: { bytes: PHOTO.toString('base64') },
    });
    expect(response.statusCode).toBe(201);
    const { checkToken, expiresAt } = JSON.parse(response.body) as CreateIdentityCheckResponse;
    expect(checkToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(590_000);
    const ref = subjectRefOf(SUBJECT, TEST_OWNER_REF_KEY);
    const key = `reference-photos/${ref}/${checkIdOf(checkToken)}`;
    expect(loaded.s3).toHaveReceivedCommandWith(loaded.s3Sdk!.PutObjectCommand, { Bucket: BUCKET, Key: key });
    const items = JSON.stringify(await table.dynamo.items());
    expect(items).not.toContain(checkToken);
    expect(items).not.toContain(PHOTO.toString('base64').slice(0, 40));
    const check = await dynamoIdentityRecords(table.dynamo.client(), table.dynamo.tableName).getCheck(
      checkIdOf(checkToken),
    );
    expect(check).toMatchObject({
      subject: SUBJECT,
      subjectRef: ref,
      method: 'reference',
      threshold: 99,
      photo: { bucket: BUCKET, name: key, stored: true },
    });
  });

  it('takes an S3 object from an allowed source as it is, and refuses one elsewhere', async () => {
    const ok = await open({
      subject: SUBJECT,
      method: 'reference',
      referencePhoto: { s3Object: { bucket: SOURCE.bucket, name: `${SOURCE.prefix}a.jpg` } },
    });
    expect(ok.statusCode).toBe(201);
    expect(loaded.s3).not.toHaveReceivedCommand(loaded.s3Sdk!.PutObjectCommand);
    for (const s3Object of [
      { bucket: SOURCE.bucket, name: 'other/a.jpg' },
      { bucket: 'someone-elses-bucket', name: `${SOURCE.prefix}a.jpg` },
      { bucket: BUCKET, name: 'liveness/session/reference.jpg' },
    ]) {
      const refused = await open({ subject: SUBJECT, method: 'reference', referencePhoto: { s3Object } });
      expect(refused.statusCode).toBe(400);
      expect(errorOf(refused.body).code).toBe('REFERENCE_PHOTO_NOT_ALLOWED');
    }
  });

  it.each([
    ['an unknown field', { subject: 'u', method: 'enrol', sessionId: 'x' }, /unknown field "sessionId"/],
    ['no subject', { method: 'enrol' }, /subject must be 1 to 128/],
    ['a subject with a slash', { subject: 'a/b', method: 'enrol' }, /subject must be/],
    ['a subject of 129 characters', { subject: 'a'.repeat(129), method: 'enrol' }, /subject must be/],
    ['an unknown method', { subject: 'u', method: 'guess' }, /method must be one of reference, enrol, enrolled/],
    ['reference without a photo', { subject: 'u', method: 'reference' }, /referencePhoto is required/],
    [
      'a photo for enrol',
      { subject: 'u', method: 'enrol', referencePhoto: { bytes: 'AAAA' } },
      /only for method reference/,
    ],
    ['a threshold below the floor', { subject: 'u', method: 'enrol', threshold: 90 }, /not be below .* 99/],
    ['a threshold on the 0–1 scale', { subject: 'u', method: 'enrol', threshold: 0.99 }, /not be below/],
    [
      'a threshold above 100',
      { subject: 'u', method: 'enrol', threshold: 100.5 },
      /threshold must be a number from 0 to 100/,
    ],
    [
      'bytes that are no image',
      { subject: 'u', method: 'reference', referencePhoto: { bytes: Buffer.from('hello').toString('base64') } },
      /JPEG or PNG/,
    ],
    ['bytes that are not base64', { subject: 'u', method: 'reference', referencePhoto: { bytes: '%%%' } }, /base64/],
    [
      'both bytes and s3Object',
      { subject: 'u', method: 'reference', referencePhoto: { bytes: 'AAAA', s3Object: {} } },
      /\{ bytes \} or \{ s3Object/,
    ],
    [
      'an s3Object without a name',
      { subject: 'u', method: 'reference', referencePhoto: { s3Object: { bucket: 'kyc-documents' } } },
      /s3Object must be/,
    ],
  ])('400 VALIDATION_ERROR for %s', async (_, body, message) => {
    const response = await open(body);
    expect(response.statusCode).toBe(400);
    expect(errorOf(response.body)).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringMatching(message) });
  });

  it('accepts a threshold above the floor and stores it with the check', async () => {
    const response = await open({ subject: SUBJECT, method: 'enrolled', threshold: 99.5 });
    const { checkToken } = JSON.parse(response.body) as CreateIdentityCheckResponse;
    const check = await dynamoIdentityRecords(table.dynamo.client(), table.dynamo.tableName).getCheck(
      checkIdOf(checkToken),
    );
    expect(check?.threshold).toBe(99.5);
  });

  it('a photo over 5 MB decoded is refused', async () => {
    const big = Buffer.concat([PHOTO, Buffer.alloc(5 * 1024 * 1024)]);
    const response = await open({
      subject: 'u',
      method: 'reference',
      referencePhoto: { bytes: big.toString('base64') },
    });
    expect(response.statusCode).toBe(413);
  });

  it('a browser caller (a Cognito identity) is refused, whatever the API policies say', async () => {
    const response = await open(
      { subject: 'u', method: 'enrol' },
      { identity: { cognitoIdentityId: 'eu-west-1:7d9a5b0c-1e2f-4a3b-8c4d-5e6f7a8b9c0d' } },
    );
    expect(response.statusCode).toBe(403);
    expect(errorOf(response.body).code).toBe('FORBIDDEN');
  });
});

describe('DELETE /identity/subjects/{subject}', () => {
  it('deletes the enrolled face, the stored photos and the open checks; again: zeros', async () => {
    const subject = 'erase-me.01';
    const ref = subjectRefOf(subject, TEST_OWNER_REF_KEY);
    const records = dynamoIdentityRecords(table.dynamo.client(), table.dynamo.tableName);
    const withPhoto = JSON.parse(
      (await open({ subject, method: 'reference', referencePhoto: { bytes: PHOTO.toString('base64') } })).body,
    ) as CreateIdentityCheckResponse;
    const without = JSON.parse((await open({ subject, method: 'enrolled' })).body) as CreateIdentityCheckResponse;
    await records.setEnrolment(ref, ['face-id-0001'], new Date().toISOString());
    loaded.rekognition.on(loaded.sdk.DeleteFacesCommand).resolves({ DeletedFaces: ['face-id-0001'] });

    const response = await loaded.handler(eraseSubjectEvent(subject), lambdaContext());
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ subject, facesDeleted: 1, referencePhotosDeleted: 1 });
    expect(loaded.rekognition).toHaveReceivedCommandWith(loaded.sdk.DeleteFacesCommand, {
      CollectionId: 'subjects',
      FaceIds: ['face-id-0001'],
    });
    expect(loaded.s3).toHaveReceivedCommandWith(loaded.s3Sdk!.DeleteObjectCommand, {
      Bucket: BUCKET,
      Key: `reference-photos/${ref}/${checkIdOf(withPhoto.checkToken)}`,
    });
    expect(await records.getCheck(checkIdOf(withPhoto.checkToken))).toBeUndefined();
    expect(await records.getCheck(checkIdOf(without.checkToken))).toBeUndefined();
    expect(await records.getSubject(ref)).toBeUndefined();

    loaded.rekognition.resetHistory();
    const again = await loaded.handler(eraseSubjectEvent(subject), lambdaContext());
    expect(JSON.parse(again.body)).toEqual({ subject, facesDeleted: 0, referencePhotosDeleted: 0 });
    expect(loaded.rekognition).not.toHaveReceivedCommand(loaded.sdk.DeleteFacesCommand);
  });

  it('a subject that breaks the rule is 400', async () => {
    const response = await loaded.handler(
      eraseSubjectEvent('x', { pathParameters: { subject: 'a b' } }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(400);
  });
});
