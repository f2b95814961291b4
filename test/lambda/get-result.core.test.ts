/** The get-result core: statuses, the verdict, feedback codes and details, without middleware. */
import { GetFaceLivenessSessionResultsCommand, RekognitionClient, type GetFaceLivenessSessionResultsResponse } from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import type { FinishedResult } from '../../common/api-types';
import { FEEDBACK_CODES } from '../../common/limits';
import { getResult, parseSessionId, type GetResultDeps } from '../../lambda/get-result/core';
import { ApiError } from '../../lambda/commons/errors';
import { SESSION_ID } from '../support/api-event';

const rekognitionMock = mockClient(RekognitionClient);
const BOX = { Width: 0.5, Height: 0.6, Left: 0.1, Top: 0.2 };

type Deps = GetResultDeps & { presign: jest.Mock; telemetry: { session: jest.Mock; sessionCreated: jest.Mock; resultRead: jest.Mock; warn: jest.Mock } };

function deps(config: Partial<GetResultDeps['config']> = {}): Deps {
  return {
    rekognition: new RekognitionClient({ region: 'eu-west-1' }),
    config: { confidenceThreshold: 80, exposeDetails: false, imageKeyPrefix: '', ...config },
    presign: jest.fn(async ({ Bucket, Name }: { Bucket: string; Name: string }) => `https://signed.example/${Bucket}/${Name}`),
    telemetry: { session: jest.fn(), sessionCreated: jest.fn(), resultRead: jest.fn(), warn: jest.fn() },
  };
}

function respond(result: Partial<GetFaceLivenessSessionResultsResponse>): void {
  rekognitionMock.on(GetFaceLivenessSessionResultsCommand, { SessionId: SESSION_ID }).resolves({ SessionId: SESSION_ID, ...result } as GetFaceLivenessSessionResultsResponse);
}

const succeeded = (overrides: Partial<GetFaceLivenessSessionResultsResponse> = {}): Partial<GetFaceLivenessSessionResultsResponse> => ({
  Status: 'SUCCEEDED',
  Confidence: 90,
  ReferenceImage: { Bytes: new Uint8Array([1, 2, 3]), BoundingBox: BOX },
  ...overrides,
});

beforeEach(() => rekognitionMock.reset());

describe('parseSessionId', () => {
  it('accepts a lowercase UUID', () => {
    expect(parseSessionId({ sessionId: SESSION_ID })).toBe(SESSION_ID);
  });

  it.each([
    ['missing', {}],
    ['null parameters', null],
    ['empty', { sessionId: '' }],
    ['upper case', { sessionId: SESSION_ID.toUpperCase() }],
    ['too long', { sessionId: `${SESSION_ID}0` }],
    ['not hex', { sessionId: SESSION_ID.replace(/^./, 'g') }],
  ])('rejects a session id that is %s', (_, params) => {
    // Act
    const act = () => parseSessionId(params);

    // Assess
    expect(act).toThrow(ApiError);
    expect(act).toThrow(/sessionId must be/);
  });
});

describe('getResult', () => {
  it.each(['CREATED', 'IN_PROGRESS'] as const)('reports %s as pending', async (status) => {
    // Prepare
    respond({ Status: status });
    const d = deps();

    // Act
    const result = await getResult(SESSION_ID, d);

    // Assess
    expect(result).toEqual({ sessionId: SESSION_ID, status, done: false });
    expect(d.telemetry.session).toHaveBeenCalledWith(SESSION_ID);
    expect(d.telemetry.resultRead).toHaveBeenCalledWith(status);
  });

  it.each([
    ['equal to the threshold', 80, true],
    ['just below the threshold', 79.999, false],
    ['just above the threshold', 80.001, true],
    ['zero', 0, false],
    ['100', 100, true],
  ])('decides on a confidence %s', async (_, confidence, isLive) => {
    // Prepare
    respond(succeeded({ Confidence: confidence }));

    // Act
    const result = (await getResult(SESSION_ID, deps())) as FinishedResult;

    // Assess
    expect(result.isLive).toBe(isLive);
    expect(result.reason).toBe(isLive ? undefined : 'LOW_CONFIDENCE');
    expect(result.message === undefined).toBe(isLive);
  });

  it('treats a missing confidence as not live', async () => {
    // Prepare
    respond(succeeded({ Confidence: undefined }));

    // Act
    const result = (await getResult(SESSION_ID, deps())) as FinishedResult;

    // Assess
    expect(result).toMatchObject({ isLive: false, reason: 'LOW_CONFIDENCE' });
  });

  it.each([
    ['absent', undefined],
    ['without bytes or object', { BoundingBox: BOX }],
    ['with empty bytes', { Bytes: new Uint8Array() }],
  ])('treats a reference image that is %s as not live, even with a high confidence', async (_, referenceImage) => {
    // Prepare
    respond(succeeded({ Confidence: 99.9, ReferenceImage: referenceImage }));
    const d = deps();

    // Act
    const result = (await getResult(SESSION_ID, d)) as FinishedResult;

    // Assess
    expect(result).toMatchObject({ isLive: false, reason: 'MISSING_REFERENCE_IMAGE', message: expect.stringMatching(/Start a new session/) });
    expect(d.telemetry.resultRead).toHaveBeenCalledWith('SUCCEEDED', { isLive: false, reason: 'MISSING_REFERENCE_IMAGE' });
  });

  it.each([
    ['FAILED', 'SESSION_FAILED'],
    ['EXPIRED', 'SESSION_EXPIRED'],
  ] as const)('reports %s as finished and not live', async (status, reason) => {
    // Prepare
    respond({ Status: status });

    // Act
    const result = await getResult(SESSION_ID, deps({ exposeDetails: true }));

    // Assess
    expect(result).toEqual({ sessionId: SESSION_ID, status, done: true, isLive: false, feedback: [], reason, message: expect.stringMatching(/new session/) });
  });

  it('keeps known feedback codes in order, drops duplicates, and leaves out (and logs) unknown ones', async () => {
    // Prepare
    respond(succeeded({
      Feedback: [
        { Code: 'FACE_NOT_ALIGNED', Message: 'a' },
        { Code: 'SOME_FUTURE_CODE' as never, Message: 'b' },
        { Code: 'EYES_CLOSED_DETECTED', Message: 'c' },
        { Code: 'FACE_NOT_ALIGNED', Message: 'd' },
      ],
    }));
    const d = deps();

    // Act
    const result = (await getResult(SESSION_ID, d)) as FinishedResult;

    // Assess
    expect(result.feedback).toEqual(['FACE_NOT_ALIGNED', 'EYES_CLOSED_DETECTED']);
    expect(d.telemetry.warn).toHaveBeenCalledWith(expect.any(String), { feedbackCode: 'SOME_FUTURE_CODE' });
  });

  it('passes every documented feedback code', async () => {
    // Prepare
    respond(succeeded({ Feedback: FEEDBACK_CODES.map((Code) => ({ Code, Message: Code })) }));

    // Act
    const result = (await getResult(SESSION_ID, deps())) as FinishedResult;

    // Assess
    expect(result.feedback).toEqual([...FEEDBACK_CODES]);
  });

  it('adds no details when exposeDetails is off', async () => {
    // Prepare
    respond(succeeded());
    const d = deps();

    // Act
    const result = await getResult(SESSION_ID, d);

    // Assess
    expect(result).not.toHaveProperty('details');
    expect(d.presign).not.toHaveBeenCalled();
  });

  it('adds confidence, boxes, base64 bytes and presigned URLs when exposeDetails is on', async () => {
    // Prepare
    respond(succeeded({
      Confidence: 42.5,
      ReferenceImage: { S3Object: { Bucket: 'images', Name: 'p/ref.jpg', Version: 'v1' }, BoundingBox: BOX },
      AuditImages: [
        { Bytes: new Uint8Array([255, 216, 255]), BoundingBox: BOX },
        { S3Object: { Bucket: 'images', Name: 'elsewhere/a.jpg' } },
        { BoundingBox: { Width: 1 } },
      ],
    }));
    const d = deps({ exposeDetails: true, imageBucket: 'images', imageKeyPrefix: 'p/' });

    // Act
    const result = (await getResult(SESSION_ID, d)) as FinishedResult;

    // Assess
    expect(result.details).toEqual({
      confidence: 42.5,
      referenceImage: { boundingBox: { width: 0.5, height: 0.6, left: 0.1, top: 0.2 }, url: 'https://signed.example/images/p/ref.jpg' },
      auditImages: [{ boundingBox: { width: 0.5, height: 0.6, left: 0.1, top: 0.2 }, base64: '/9j/' }, {}, {}],
    });
    expect(d.presign).toHaveBeenCalledTimes(1);
    expect(d.presign).toHaveBeenCalledWith({ Bucket: 'images', Name: 'p/ref.jpg', Version: 'v1' });
    expect(d.telemetry.warn).toHaveBeenCalledTimes(1);
  });

  it('presigns nothing when no bucket is configured', async () => {
    // Prepare
    respond(succeeded({ ReferenceImage: { S3Object: { Bucket: 'images', Name: 'ref.jpg' } } }));
    const d = deps({ exposeDetails: true });

    // Act
    const result = (await getResult(SESSION_ID, d)) as FinishedResult;

    // Assess
    expect(result.details?.referenceImage).toEqual({});
    expect(d.presign).not.toHaveBeenCalled();
  });

  it('reports the verdict only after the details were built', async () => {
    // Prepare
    respond(succeeded({ ReferenceImage: { S3Object: { Bucket: 'images', Name: 'ref.jpg' } } }));
    const d = deps({ exposeDetails: true, imageBucket: 'images' });
    d.presign.mockRejectedValue(new Error('no credentials'));

    // Act
    const act = getResult(SESSION_ID, d);

    // Assess
    await expect(act).rejects.toThrow('no credentials');
    expect(d.telemetry.resultRead).not.toHaveBeenCalled();
  });

  it('fails on a status it does not know', async () => {
    // Prepare
    respond({ Status: 'PAUSED' as never });

    // Act
    const act = getResult(SESSION_ID, deps());

    // Assess
    await expect(act).rejects.toThrow(/unknown status "PAUSED"/);
  });
});
