/**
 * The identity step of the result function, with Rekognition mocked (aws-sdk-client-mock) and the check and subject
 * items in a local table: each reason, the exact calls and thresholds, no call when not live, the enrolment kept only
 * by the read whose outcome is recorded, and the outcome stored and attested with the verdict, once.
 */
import 'aws-sdk-client-mock-jest';
import { randomUUID } from 'node:crypto';
import {
  CompareFacesCommand,
  DeleteFacesCommand,
  DetectFacesCommand,
  GetFaceLivenessSessionResultsCommand,
  IndexFacesCommand,
  RekognitionClient,
  SearchFacesByImageCommand,
  type GetFaceLivenessSessionResultsResponse,
} from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import type { FinishedResult } from '../../contract/api-types';
import { getResult, type GetResultDeps } from '../../lambda/get-result/core';
import { decideIdentity, type IdentityMatchDeps } from '../../lambda/get-result/identity-match';
import type { AttestationInput } from '../../lambda/shared/attestation';
import { dynamoIdentityRecords, type IdentityRecords } from '../../lambda/shared/identity-records';
import { startTestTable, TEST_OWNER, type TestTable } from '../support/session-table';

const rekognition = mockClient(RekognitionClient);
const COLLECTION = 'subjects';
const REF = 'a'.repeat(32);
const OTHER_REF = 'b'.repeat(32);
const LIVE_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]);
const PHOTO = { bucket: 'images', name: `reference-photos/${REF}/c1`, stored: true };

let table: TestTable;
let records: IdentityRecords;
beforeAll(async () => {
  table = await startTestTable();
  records = dynamoIdentityRecords(table.dynamo.client(), table.dynamo.tableName);
});
afterAll(() => table.close());
beforeEach(() => rekognition.reset());

const session = (
  overrides: Partial<GetFaceLivenessSessionResultsResponse> = {},
): GetFaceLivenessSessionResultsResponse => ({
  SessionId: 'x',
  Status: 'SUCCEEDED',
  Confidence: 95,
  Challenge: { Type: 'FaceMovementAndLightChallenge', Version: '2.0.0' },
  ReferenceImage: { Bytes: LIVE_BYTES },
  ...overrides,
});

function matchDeps(deletePhoto = jest.fn(async () => undefined)): IdentityMatchDeps & { deletePhoto: jest.Mock } {
  return {
    rekognition: new RekognitionClient({ region: 'eu-west-1' }),
    records,
    identity: { similarityThreshold: 99, collectionId: COLLECTION, referencePhotoSources: [], checkTtlSeconds: 600 },
    deletePhoto,
    telemetry: { warn: jest.fn() },
    now: Date.now,
  };
}

/** A check bound to a new session; returns the session id and the session's view of the check. */
async function boundCheck(
  method: 'reference' | 'enrol' | 'enrolled',
  extra: { threshold?: number; photo?: boolean; subjectRef?: string } = {},
) {
  const checkId = randomUUID();
  const sessionId = randomUUID();
  const subjectRef = extra.subjectRef ?? REF;
  await records.putCheck({
    checkId,
    subject: 'user-1',
    subjectRef,
    method,
    threshold: extra.threshold ?? 99,
    ...(method === 'reference' && extra.photo !== false && { photo: PHOTO }),
    createdAt: new Date().toISOString(),
    expiresAt: Math.floor(Date.now() / 1000) + 600,
    deleteAfterSeconds: Math.floor(Date.now() / 1000) + 86_400,
  });
  expect(await records.bindCheck(checkId, sessionId, Date.now())).toBe('BOUND');
  return { sessionId, bound: { checkId, method, subject: 'user-1' } };
}

const onePhotoFace = () => rekognition.on(DetectFacesCommand).resolves({ FaceDetails: [{ Confidence: 99.9 }] });

describe('reference', () => {
  it('matches at or above the threshold, comparing the server-fetched liveness image with the stored photo', async () => {
    const { sessionId, bound } = await boundCheck('reference', { threshold: 99.5 });
    onePhotoFace();
    rekognition.on(CompareFacesCommand).resolves({ FaceMatches: [{ Similarity: 99.5 }] });
    const decided = await decideIdentity(sessionId, bound, session(), true, matchDeps());
    expect(decided.outcome).toEqual({ method: 'reference', subject: 'user-1', matched: true, threshold: 99.5 });
    expect(decided.similarity).toBe(99.5);
    expect(rekognition).toHaveReceivedCommandWith(DetectFacesCommand, {
      Image: { S3Object: { Bucket: PHOTO.bucket, Name: PHOTO.name } },
    });
    expect(rekognition).toHaveReceivedCommandWith(CompareFacesCommand, {
      SourceImage: { Bytes: LIVE_BYTES },
      TargetImage: { S3Object: { Bucket: PHOTO.bucket, Name: PHOTO.name } },
      SimilarityThreshold: 99.5,
    });
  });

  it('compares with the S3 object Rekognition wrote when the reference image is stored', async () => {
    const { sessionId, bound } = await boundCheck('reference');
    onePhotoFace();
    rekognition.on(CompareFacesCommand).resolves({ FaceMatches: [] });
    const decided = await decideIdentity(
      sessionId,
      bound,
      session({ ReferenceImage: { S3Object: { Bucket: 'images', Name: 'liveness/s/reference.jpg' } } }),
      true,
      matchDeps(),
    );
    expect(decided.outcome).toMatchObject({ matched: false, reason: 'BELOW_THRESHOLD' });
    expect(rekognition).toHaveReceivedCommandWith(CompareFacesCommand, {
      SourceImage: { S3Object: { Bucket: 'images', Name: 'liveness/s/reference.jpg' } },
    });
  });

  it.each([
    [0, 'NO_FACE_IN_REFERENCE'],
    [2, 'MULTIPLE_FACES'],
    [3, 'MULTIPLE_FACES'],
  ])('a photo with %i faces: %s, and no CompareFaces', async (faces, reason) => {
    const { sessionId, bound } = await boundCheck('reference');
    rekognition.on(DetectFacesCommand).resolves({ FaceDetails: Array.from({ length: faces }, () => ({})) });
    const decided = await decideIdentity(sessionId, bound, session(), true, matchDeps());
    expect(decided.outcome).toMatchObject({ matched: false, reason });
    expect(rekognition).not.toHaveReceivedCommand(CompareFacesCommand);
  });

  it.each([
    'InvalidImageFormatException',
    'InvalidS3ObjectException',
    'ImageTooLargeException',
    'InvalidParameterException',
  ])('a photo DetectFaces refuses with %s: REFERENCE_PHOTO_UNREADABLE', async (name) => {
    const { sessionId, bound } = await boundCheck('reference');
    rekognition.on(DetectFacesCommand).rejects(Object.assign(new Error('x'), { name }));
    const decided = await decideIdentity(sessionId, bound, session(), true, matchDeps());
    expect(decided.outcome).toMatchObject({ matched: false, reason: 'REFERENCE_PHOTO_UNREADABLE' });
  });

  it('CompareFaces finding no face after DetectFaces found one in the photo: NO_FACE_IN_LIVENESS_IMAGE', async () => {
    const { sessionId, bound } = await boundCheck('reference');
    onePhotoFace();
    rekognition
      .on(CompareFacesCommand)
      .rejects(Object.assign(new Error('no faces'), { name: 'InvalidParameterException' }));
    const decided = await decideIdentity(sessionId, bound, session(), true, matchDeps());
    expect(decided.outcome).toMatchObject({ matched: false, reason: 'NO_FACE_IN_LIVENESS_IMAGE' });
  });

  it('a throttled call fails the read (retried by the client), never decides a mismatch', async () => {
    const { sessionId, bound } = await boundCheck('reference');
    rekognition.on(DetectFacesCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(decideIdentity(sessionId, bound, session(), true, matchDeps())).rejects.toThrow('slow down');
  });

  it('not live: NOT_LIVE, and no Rekognition call at all', async () => {
    const { sessionId, bound } = await boundCheck('reference');
    const decided = await decideIdentity(sessionId, bound, session({ Confidence: 10 }), false, matchDeps());
    expect(decided.outcome).toEqual({
      method: 'reference',
      subject: 'user-1',
      matched: false,
      reason: 'NOT_LIVE',
      threshold: 99,
    });
    expect(rekognition.calls()).toHaveLength(0);
  });

  it('once recorded, the stored photo and the check are deleted; not recorded, both stay', async () => {
    const { sessionId, bound } = await boundCheck('reference');
    onePhotoFace();
    rekognition.on(CompareFacesCommand).resolves({ FaceMatches: [{ Similarity: 99.9 }] });
    const deps = matchDeps();
    const lost = await decideIdentity(sessionId, bound, session(), true, deps);
    await lost.settle(false);
    expect(deps.deletePhoto).not.toHaveBeenCalled();
    expect(await records.getCheck(bound.checkId)).toBeDefined();
    const won = await decideIdentity(sessionId, bound, session(), true, deps);
    await won.settle(true);
    expect(deps.deletePhoto).toHaveBeenCalledWith({ Bucket: PHOTO.bucket, Name: PHOTO.name });
    expect(await records.getCheck(bound.checkId)).toBeUndefined();
  });

  it('a check erased, or bound to another session, is CHECK_NOT_FOUND without any call', async () => {
    const { sessionId, bound } = await boundCheck('reference');
    const other = await decideIdentity(randomUUID(), bound, session(), true, matchDeps());
    expect(other.outcome).toMatchObject({ matched: false, reason: 'CHECK_NOT_FOUND' });
    await records.deleteCheck(bound.checkId, { returnOld: false });
    const erased = await decideIdentity(sessionId, bound, session(), true, matchDeps());
    expect(erased.outcome).toMatchObject({
      method: 'reference',
      subject: 'user-1',
      matched: false,
      reason: 'CHECK_NOT_FOUND',
    });
    expect(rekognition.calls()).toHaveLength(0);
  });
});

describe('enrolled', () => {
  it('SUBJECT_NOT_ENROLLED without any Rekognition call', async () => {
    const { sessionId, bound } = await boundCheck('enrolled', { subjectRef: randomUUID().replace(/-/g, '') });
    const decided = await decideIdentity(sessionId, bound, session(), true, matchDeps());
    expect(decided.outcome).toMatchObject({ matched: false, reason: 'SUBJECT_NOT_ENROLLED' });
    expect(rekognition.calls()).toHaveLength(0);
  });

  it('matched only when the best face at or above the threshold is the subject own; else ANOTHER_SUBJECT or BELOW_THRESHOLD', async () => {
    await records.setEnrolment(REF, ['face-1'], new Date().toISOString());
    const { sessionId, bound } = await boundCheck('enrolled', { threshold: 99.2 });
    rekognition
      .on(SearchFacesByImageCommand)
      .resolvesOnce({ FaceMatches: [{ Similarity: 99.6, Face: { FaceId: 'face-1', ExternalImageId: REF } }] })
      .resolvesOnce({ FaceMatches: [{ Similarity: 99.9, Face: { FaceId: 'face-9', ExternalImageId: OTHER_REF } }] })
      .resolvesOnce({ FaceMatches: [] });
    const deps = matchDeps();
    expect((await decideIdentity(sessionId, bound, session(), true, deps)).outcome).toMatchObject({ matched: true });
    expect((await decideIdentity(sessionId, bound, session(), true, deps)).outcome).toMatchObject({
      matched: false,
      reason: 'ANOTHER_SUBJECT',
    });
    expect((await decideIdentity(sessionId, bound, session(), true, deps)).outcome).toMatchObject({
      matched: false,
      reason: 'BELOW_THRESHOLD',
    });
    expect(rekognition).toHaveReceivedCommandWith(SearchFacesByImageCommand, {
      CollectionId: COLLECTION,
      Image: { Bytes: LIVE_BYTES },
      FaceMatchThreshold: 99.2,
      MaxFaces: 1,
    });
  });
});

describe('enrol', () => {
  it('indexes the live face under the subject reference; the recorded read replaces the earlier face', async () => {
    const subjectRef = randomUUID().replace(/-/g, '');
    await records.setEnrolment(subjectRef, ['old-face'], new Date().toISOString());
    const { sessionId, bound } = await boundCheck('enrol', { subjectRef });
    rekognition.on(SearchFacesByImageCommand).resolves({ FaceMatches: [] });
    rekognition.on(IndexFacesCommand).resolves({ FaceRecords: [{ Face: { FaceId: 'new-face' } }] });
    rekognition.on(DeleteFacesCommand).resolves({ DeletedFaces: ['old-face'] });
    const decided = await decideIdentity(sessionId, bound, session(), true, matchDeps());
    expect(decided.outcome).toMatchObject({ method: 'enrol', matched: true });
    expect(rekognition).toHaveReceivedCommandWith(IndexFacesCommand, {
      CollectionId: COLLECTION,
      Image: { Bytes: LIVE_BYTES },
      ExternalImageId: subjectRef,
      MaxFaces: 1,
    });
    await decided.settle(true);
    expect((await records.getSubject(subjectRef))?.faceIds).toEqual(['new-face']);
    expect(rekognition).toHaveReceivedCommandWith(DeleteFacesCommand, {
      CollectionId: COLLECTION,
      FaceIds: ['old-face'],
    });
  });

  it('a read that lost the race deletes the face it indexed and keeps the enrolment as it was', async () => {
    const subjectRef = randomUUID().replace(/-/g, '');
    const { sessionId, bound } = await boundCheck('enrol', { subjectRef });
    rekognition.on(SearchFacesByImageCommand).resolves({ FaceMatches: [] });
    rekognition.on(IndexFacesCommand).resolves({ FaceRecords: [{ Face: { FaceId: 'raced-face' } }] });
    rekognition.on(DeleteFacesCommand).resolves({ DeletedFaces: ['raced-face'] });
    const decided = await decideIdentity(sessionId, bound, session(), true, matchDeps());
    await decided.settle(false);
    expect(rekognition).toHaveReceivedCommandWith(DeleteFacesCommand, { FaceIds: ['raced-face'] });
    expect(await records.getSubject(subjectRef)).toMatchObject({ faceIds: [] });
  });

  it('this face already enrolled for another subject: FACE_ENROLLED_FOR_ANOTHER_SUBJECT, nothing indexed', async () => {
    const { sessionId, bound } = await boundCheck('enrol');
    rekognition
      .on(SearchFacesByImageCommand)
      .resolves({ FaceMatches: [{ Similarity: 99.7, Face: { FaceId: 'f', ExternalImageId: OTHER_REF } }] });
    const decided = await decideIdentity(sessionId, bound, session(), true, matchDeps());
    expect(decided.outcome).toMatchObject({ matched: false, reason: 'FACE_ENROLLED_FOR_ANOTHER_SUBJECT' });
    expect(rekognition).not.toHaveReceivedCommand(IndexFacesCommand);
  });
});

describe('with the verdict (get-result core)', () => {
  const LOCKOUT = { maxFailures: 0, windowMs: 1, lockoutMs: 1, backoffFactor: 1, maxLockoutMs: 1 };
  function resultDeps(exposeDetails: boolean): GetResultDeps & { signed: AttestationInput[] } {
    const signed: AttestationInput[] = [];
    const m = matchDeps();
    return {
      rekognition: m.rekognition,
      sessions: table.store,
      config: {
        confidenceThreshold: 80,
        exposeDetails,
        imageKeyPrefix: '',
        lockout: LOCKOUT,
        challengePolicy: { allowed: ['FaceMovementAndLightChallenge'] },
      },
      presign: jest.fn(async () => 'https://signed.example/x'),
      telemetry: {
        session: jest.fn(),
        owner: jest.fn(),
        sessionCreated: jest.fn(),
        resultRead: jest.fn(),
        warn: jest.fn(),
        lockoutStarted: jest.fn(),
      } as unknown as GetResultDeps['telemetry'],
      now: Date.now,
      attest: {
        ttlSeconds: 300,
        sign: async (input) => {
          signed.push(input);
          return 'header.payload.signature';
        },
      },
      identity: { rekognition: m.rekognition, records, identity: m.identity, deletePhoto: m.deletePhoto },
      signed,
    };
  }

  async function sessionWithCheck(): Promise<string> {
    const { sessionId, bound } = await boundCheck('reference');
    await table.store.recordSession({
      sessionId,
      owner: TEST_OWNER,
      identityCheck: bound,
      createdAt: Date.now(),
      expiresAt: Date.now() + 180_000,
      deleteAfterSeconds: Math.floor(Date.now() / 1000) + 86_400,
    });
    rekognition.on(GetFaceLivenessSessionResultsCommand).resolves(session({ SessionId: sessionId }));
    return sessionId;
  }

  it('stores the outcome with the verdict, attests it as match, and a reread makes no face call', async () => {
    const sessionId = await sessionWithCheck();
    onePhotoFace();
    rekognition.on(CompareFacesCommand).resolves({ FaceMatches: [{ Similarity: 99.8 }] });
    const deps = resultDeps(false);
    const first = (await getResult(sessionId, TEST_OWNER, deps)) as FinishedResult;
    expect(first.identity).toEqual({ method: 'reference', subject: 'user-1', matched: true, threshold: 99 });
    expect(deps.signed[0]?.match).toEqual({ method: 'reference', matched: true, threshold: 99, subject: 'user-1' });
    rekognition.resetHistory();
    const again = (await getResult(sessionId, TEST_OWNER, deps)) as FinishedResult;
    expect(again.identity).toEqual(first.identity);
    expect(deps.signed[1]?.match).toEqual(deps.signed[0]?.match);
    expect(rekognition).not.toHaveReceivedCommand(CompareFacesCommand);
    expect(rekognition).not.toHaveReceivedCommand(GetFaceLivenessSessionResultsCommand);
  });

  it('similarity only with exposeDetails, never in the attestation', async () => {
    for (const exposeDetails of [false, true]) {
      rekognition.reset();
      const sessionId = await sessionWithCheck();
      onePhotoFace();
      rekognition.on(CompareFacesCommand).resolves({ FaceMatches: [{ Similarity: 99.8765 }] });
      const deps = resultDeps(exposeDetails);
      const result = (await getResult(sessionId, TEST_OWNER, deps)) as FinishedResult;
      expect(result.identity?.similarity).toBe(exposeDetails ? 99.8765 : undefined);
      expect(JSON.stringify(deps.signed)).not.toContain('99.8765');
    }
  });
});
