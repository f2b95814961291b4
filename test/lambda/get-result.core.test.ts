/** The get-result core: statuses, the verdict, feedback codes and details, without middleware. */
import { randomUUID } from 'node:crypto';
import {
  GetFaceLivenessSessionResultsCommand,
  RekognitionClient,
  type GetFaceLivenessSessionResultsResponse,
} from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import type { FinishedResult } from '../../contract/api-types';
import { FEEDBACK_CODES } from '../../contract/liveness-model';
import { consumeVerdict } from '../../client/consume-verdict';
import { getResult, parseSessionId, type GetResultDeps } from '../../lambda/get-result/core';
import type { AttestationInput } from '../../lambda/shared/attestation';
import { ApiError } from '../../lambda/shared/errors';
import { SESSION_ID } from '../support/api-event';
import {
  resetOwner,
  seedSession,
  startTestTable,
  tableItems,
  TEST_OWNER,
  type TestTable,
} from '../support/session-table';

const rekognitionMock = mockClient(RekognitionClient);
const BOX = { Width: 0.5, Height: 0.6, Left: 0.1, Top: 0.2 };
const LOCKOUT = { maxFailures: 5, windowMs: 180_000, lockoutMs: 1_800_000, backoffFactor: 2, maxLockoutMs: 86_400_000 };

type Deps = GetResultDeps & {
  presign: jest.Mock;
  telemetry: {
    session: jest.Mock;
    owner: jest.Mock;
    sessionCreated: jest.Mock;
    resultRead: jest.Mock;
    warn: jest.Mock;
    lockoutStarted: jest.Mock;
  };
};

let table: TestTable;
beforeAll(async () => {
  table = await startTestTable();
});
afterAll(() => table.close());

function deps(config: Partial<GetResultDeps['config']> = {}): Deps {
  return {
    rekognition: new RekognitionClient({ region: 'eu-west-1' }),
    sessions: table.store,
    config: {
      confidenceThreshold: 80,
      exposeDetails: false,
      imageKeyPrefix: '',
      lockout: LOCKOUT,
      challengePolicy: { allowed: ['FaceMovementAndLightChallenge'] },
      ...config,
    },
    presign: jest.fn(
      async ({ Bucket, Name }: { Bucket: string; Name: string }) => `https://signed.example/${Bucket}/${Name}`,
    ),
    telemetry: {
      session: jest.fn(),
      owner: jest.fn(),
      sessionCreated: jest.fn(),
      resultRead: jest.fn(),
      warn: jest.fn(),
      lockoutStarted: jest.fn(),
    },
    now: Date.now,
  };
}

/** A fresh session of TEST_OWNER per test: a verdict is stored once, so tests must not share one. */
let sid: string;
beforeEach(async () => {
  sid = randomUUID();
  await seedSession(table.store, sid);
  await resetOwner(table);
});

function respond(result: Partial<GetFaceLivenessSessionResultsResponse>): void {
  rekognitionMock
    .on(GetFaceLivenessSessionResultsCommand, { SessionId: sid })
    .resolves({ SessionId: sid, ...result } as GetFaceLivenessSessionResultsResponse);
}

const succeeded = (
  overrides: Partial<GetFaceLivenessSessionResultsResponse> = {},
): Partial<GetFaceLivenessSessionResultsResponse> => ({
  Status: 'SUCCEEDED',
  Confidence: 90,
  Challenge: { Type: 'FaceMovementAndLightChallenge', Version: '1.0.0' },
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
    const result = await getResult(sid, TEST_OWNER, d);

    // Assess
    expect(result).toEqual({ sessionId: sid, status, done: false });
    expect(d.telemetry.session).toHaveBeenCalledWith(sid);
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
    const result = (await getResult(sid, TEST_OWNER, deps())) as FinishedResult;

    // Assess
    expect(result.isLive).toBe(isLive);
    expect(result.reason).toBe(isLive ? undefined : 'LOW_CONFIDENCE');
    expect(result.message === undefined).toBe(isLive);
  });

  it('treats a missing confidence as not live', async () => {
    // Prepare
    respond(succeeded({ Confidence: undefined }));

    // Act
    const result = (await getResult(sid, TEST_OWNER, deps())) as FinishedResult;

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
    const result = (await getResult(sid, TEST_OWNER, d)) as FinishedResult;

    // Assess
    expect(result).toMatchObject({
      isLive: false,
      reason: 'MISSING_REFERENCE_IMAGE',
      message: expect.stringMatching(/Start a new session/),
    });
    expect(d.telemetry.resultRead).toHaveBeenCalledWith('SUCCEEDED', {
      isLive: false,
      reason: 'MISSING_REFERENCE_IMAGE',
      recorded: true,
    });
  });

  it.each([
    ['FAILED', 'SESSION_FAILED'],
    ['EXPIRED', 'SESSION_EXPIRED'],
  ] as const)('reports %s as finished and not live', async (status, reason) => {
    // Prepare
    respond({ Status: status });

    // Act
    const result = await getResult(sid, TEST_OWNER, deps({ exposeDetails: true }));

    // Assess
    expect(result).toEqual({
      sessionId: sid,
      status,
      done: true,
      isLive: false,
      feedback: [],
      reason,
      message: expect.stringMatching(/new session/),
    });
  });

  it('keeps known feedback codes in order, drops duplicates, and leaves out (and logs) unknown ones', async () => {
    // Prepare
    respond(
      succeeded({
        Feedback: [
          { Code: 'FACE_NOT_ALIGNED', Message: 'a' },
          { Code: 'SOME_FUTURE_CODE' as never, Message: 'b' },
          { Code: 'EYES_CLOSED_DETECTED', Message: 'c' },
          { Code: 'FACE_NOT_ALIGNED', Message: 'd' },
        ],
      }),
    );
    const d = deps();

    // Act
    const result = (await getResult(sid, TEST_OWNER, d)) as FinishedResult;

    // Assess
    expect(result.feedback).toEqual(['FACE_NOT_ALIGNED', 'EYES_CLOSED_DETECTED']);
    expect(d.telemetry.warn).toHaveBeenCalledWith(expect.any(String), { feedbackCode: 'SOME_FUTURE_CODE' });
  });

  it('passes every documented feedback code', async () => {
    // Prepare
    respond(succeeded({ Feedback: FEEDBACK_CODES.map((Code) => ({ Code, Message: Code })) }));

    // Act
    const result = (await getResult(sid, TEST_OWNER, deps())) as FinishedResult;

    // Assess
    expect(result.feedback).toEqual([...FEEDBACK_CODES]);
  });

  it('adds no details when exposeDetails is off', async () => {
    // Prepare
    respond(succeeded());
    const d = deps();

    // Act
    const result = await getResult(sid, TEST_OWNER, d);

    // Assess
    expect(result).not.toHaveProperty('details');
    expect(d.presign).not.toHaveBeenCalled();
  });

  it('adds confidence, boxes, base64 bytes and presigned URLs to a live verdict when exposeDetails is on', async () => {
    // Prepare
    respond(
      succeeded({
        Confidence: 92.5,
        ReferenceImage: { S3Object: { Bucket: 'images', Name: 'p/ref.jpg', Version: 'v1' }, BoundingBox: BOX },
        AuditImages: [
          { Bytes: new Uint8Array([255, 216, 255]), BoundingBox: BOX },
          { S3Object: { Bucket: 'images', Name: 'elsewhere/a.jpg' } },
          { BoundingBox: { Width: 1 } },
        ],
      }),
    );
    const d = deps({ exposeDetails: true, imageBucket: 'images', imageKeyPrefix: 'p/' });

    // Act
    const result = (await getResult(sid, TEST_OWNER, d)) as FinishedResult;

    // Assess
    expect(result.details).toEqual({
      confidence: 92.5,
      referenceImage: {
        boundingBox: { width: 0.5, height: 0.6, left: 0.1, top: 0.2 },
        url: 'https://signed.example/images/p/ref.jpg',
      },
      auditImages: [{ boundingBox: { width: 0.5, height: 0.6, left: 0.1, top: 0.2 }, base64: '/9j/' }, {}, {}],
    });
    expect(d.presign).toHaveBeenCalledTimes(1);
    expect(d.presign).toHaveBeenCalledWith({ Bucket: 'images', Name: 'p/ref.jpg', Version: 'v1' });
    expect(d.telemetry.warn).toHaveBeenCalledTimes(1);
  });

  it('never gives a failed check its score or images, even with exposeDetails on (no scoring oracle)', async () => {
    // Prepare
    respond(
      succeeded({
        Confidence: 42.5,
        ReferenceImage: { S3Object: { Bucket: 'images', Name: 'p/ref.jpg' }, BoundingBox: BOX },
      }),
    );
    const d = deps({ exposeDetails: true, imageBucket: 'images', imageKeyPrefix: 'p/' });

    // Act
    const first = (await getResult(sid, TEST_OWNER, d)) as FinishedResult;
    const again = (await getResult(sid, TEST_OWNER, d)) as FinishedResult;

    // Assess
    expect(first).toMatchObject({ isLive: false, reason: 'LOW_CONFIDENCE' });
    expect(first).not.toHaveProperty('details');
    expect(again).not.toHaveProperty('details');
    expect(JSON.stringify([first, again])).not.toContain('42.5');
    expect(d.presign).not.toHaveBeenCalled();
  });

  it('presigns nothing when no bucket is configured', async () => {
    // Prepare
    respond(succeeded({ ReferenceImage: { S3Object: { Bucket: 'images', Name: 'ref.jpg' } } }));
    const d = deps({ exposeDetails: true });

    // Act
    const result = (await getResult(sid, TEST_OWNER, d)) as FinishedResult;

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
    const act = getResult(sid, TEST_OWNER, d);

    // Assess
    await expect(act).rejects.toThrow('no credentials');
    expect(d.telemetry.resultRead).not.toHaveBeenCalled();
  });

  it('fails on a status it does not know', async () => {
    // Prepare
    respond({ Status: 'PAUSED' as never });

    // Act
    const act = getResult(sid, TEST_OWNER, deps());

    // Assess
    await expect(act).rejects.toThrow(/unknown status "PAUSED"/);
  });
});

describe('the challenge the session reports decides whether it can be live', () => {
  const LIGHT = 'FaceMovementAndLightChallenge';
  const MOVE = 'FaceMovementChallenge';
  const POLICIES = [
    { allowed: [LIGHT] },
    { allowed: [MOVE] },
    { allowed: [LIGHT, MOVE] },
    // What Amplify UI runs today: one minimum per challenge, light 2.0.0 and movement 1.0.0.
    { allowed: [LIGHT, MOVE], minVersions: { [LIGHT]: '2.0.0', [MOVE]: '1.0.0' } },
    { allowed: [LIGHT, MOVE], minVersions: { [LIGHT]: '1.1.0' } },
  ] as const;
  const REPORTED = [
    { Type: LIGHT, Version: '1.0.0' },
    { Type: MOVE, Version: '1.0.0' },
    { Type: LIGHT, Version: '1.10.0' },
    { Type: LIGHT, Version: '2.0.0' },
    { Type: MOVE, Version: '0.9.9' },
    { Type: 'SomeFutureChallenge', Version: '1.0.0' },
    { Type: LIGHT },
    undefined,
  ];
  const cases = POLICIES.flatMap((policy) => REPORTED.map((reported) => [policy, reported] as const));
  it.each(cases)('policy %j, reported %j', async (policy, reported) => {
    // Prepare: a high score and a reference image, so only the challenge can make it not live
    respond(succeeded({ Challenge: reported as never }));
    const minimum =
      'minVersions' in policy ? (policy.minVersions as Record<string, string>)[reported?.Type ?? ''] : undefined;
    const below = (version: string, min: string) =>
      version
        .split('.')
        .map(Number)
        .reduce((d, n, i) => d || n - Number(min.split('.')[i]), 0) < 0;
    const expectedReason =
      reported?.Type === undefined || reported.Version === undefined
        ? 'CHALLENGE_MISSING'
        : !(policy.allowed as readonly string[]).includes(reported.Type)
          ? 'CHALLENGE_NOT_ALLOWED'
          : minimum !== undefined && below(reported.Version, minimum)
            ? 'CHALLENGE_VERSION_TOO_OLD'
            : undefined;

    // Act
    const result = (await getResult(sid, TEST_OWNER, deps({ challengePolicy: policy }))) as FinishedResult;

    // Assess: the verdict, and the challenge it records (stored and returned)
    expect(result.isLive).toBe(expectedReason === undefined);
    expect(result.reason).toBe(expectedReason);
    const { sessions } = await tableItems(table.dynamo);
    const stored = sessions.find((item) => item.sessionId === sid)!;
    if (reported?.Type !== undefined && reported.Version !== undefined) {
      expect(result.challenge).toEqual({ type: reported.Type, version: reported.Version });
      expect(stored).toMatchObject({ challengeType: reported.Type, challengeVersion: reported.Version });
    } else {
      expect(result).not.toHaveProperty('challenge');
      expect(stored).not.toHaveProperty('challengeType');
    }
  });
});

describe('getResult: ownership and the stored verdict', () => {
  const sessionItem = async (id: string) => (await tableItems(table.dynamo)).sessions.find((s) => s.sessionId === id);
  const ownerItem = async (owner: string) => (await tableItems(table.dynamo)).owners.find((o) => o.owner === owner);

  it("answers another owner's session exactly like an unknown one, without asking Rekognition", async () => {
    // Prepare
    respond(succeeded());

    // Act
    const foreign = await getResult(sid, 'cognito:someone-else', deps()).catch((e: unknown) => e);
    const unknown = await getResult(randomUUID(), TEST_OWNER, deps()).catch((e: unknown) => e);

    // Assess
    for (const error of [foreign, unknown]) {
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        code: 'SESSION_NOT_FOUND',
        statusCode: 404,
        message: (unknown as ApiError).message,
      });
    }
    expect(rekognitionMock.commandCalls(GetFaceLivenessSessionResultsCommand)).toHaveLength(0);
  });

  it('stores the first terminal verdict with its threshold and no confidence', async () => {
    // Prepare
    respond(succeeded({ Confidence: 93.123456, Feedback: [{ Code: 'LOW_LIGHTING_DETECTED', Message: 'x' }] }));

    // Act
    await getResult(sid, TEST_OWNER, deps());

    // Assess
    const item = await sessionItem(sid);
    expect(item).toMatchObject({
      status: 'SUCCEEDED',
      isLive: true,
      threshold: 80,
      feedback: ['LOW_LIGHTING_DETECTED'],
      decidedAt: expect.any(String),
    });
    expect(item).not.toHaveProperty('reason');
    expect(JSON.stringify(item)).not.toMatch(/93\.12|confidence/i);
  });

  it('returns the stored verdict on later reads, even once Rekognition has forgotten the session or would answer differently', async () => {
    // Prepare
    respond(succeeded());
    const first = await getResult(sid, TEST_OWNER, deps());
    rekognitionMock.reset();
    rekognitionMock
      .on(GetFaceLivenessSessionResultsCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'SessionNotFoundException' }));

    // Act
    const later = await getResult(sid, TEST_OWNER, deps({ confidenceThreshold: 99 }));

    // Assess
    expect(later).toEqual(first);
    expect(rekognitionMock.commandCalls(GetFaceLivenessSessionResultsCommand)).toHaveLength(0);
  });

  it('records the verdict once when many reads see the terminal status at the same time', async () => {
    // Prepare
    respond(succeeded({ Confidence: 10 }));
    const telemetries = Array.from({ length: 8 }, () => deps());

    // Act
    const results = await Promise.all(telemetries.map((d) => getResult(sid, TEST_OWNER, d)));

    // Assess
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    const recorded = telemetries
      .flatMap((d) => d.telemetry.resultRead.mock.calls)
      .filter(([, v]) => v?.recorded === true);
    expect(recorded).toHaveLength(1);
    expect((await ownerItem(TEST_OWNER))?.failures).toHaveProperty(sid);
  });

  it('counts a failed check once per session, however often it is read', async () => {
    // Prepare
    const owner = `cognito:${randomUUID()}`;
    const id = randomUUID();
    await seedSession(table.store, id, owner);
    rekognitionMock
      .on(GetFaceLivenessSessionResultsCommand, { SessionId: id })
      .resolves({ SessionId: id, Status: 'FAILED' });

    // Act
    for (let i = 0; i < 4; i++) await getResult(id, owner, deps());

    // Assess
    expect(await ownerItem(owner)).toMatchObject({
      failures: { [id]: expect.any(Number) },
      lockedUntil: 0,
      version: 1,
    });
  });

  it('locks the owner out on the fifth failed check within the window, and says so once', async () => {
    // Prepare
    const owner = `cognito:${randomUUID()}`;
    const d = deps();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const id of ids) {
      await seedSession(table.store, id, owner);
      rekognitionMock.on(GetFaceLivenessSessionResultsCommand, { SessionId: id }).resolves({
        SessionId: id,
        Status: 'SUCCEEDED',
        Confidence: 12,
        ReferenceImage: { Bytes: new Uint8Array([1]) },
      });
    }
    const before = Date.now();

    // Act
    for (const id of ids.slice(0, 4)) await getResult(id, owner, d);
    const lockedBeforeFifth = (await table.store.lockedUntil(owner)) > Date.now();
    await getResult(ids[4]!, owner, d);

    // Assess
    expect(lockedBeforeFifth).toBe(false);
    const lockedUntil = await table.store.lockedUntil(owner);
    expect(lockedUntil).toBeGreaterThanOrEqual(before + 1_800_000);
    expect(lockedUntil).toBeLessThanOrEqual(Date.now() + 1_800_000);
    expect(d.telemetry.lockoutStarted).toHaveBeenCalledTimes(1);
  });

  it('does not count live verdicts', async () => {
    // Prepare
    const owner = `cognito:${randomUUID()}`;
    const id = randomUUID();
    await seedSession(table.store, id, owner);
    rekognitionMock
      .on(GetFaceLivenessSessionResultsCommand, { SessionId: id })
      .resolves({ SessionId: id, ...succeeded() } as GetFaceLivenessSessionResultsResponse);

    // Act
    await getResult(id, owner, deps());

    // Assess
    expect(await ownerItem(owner)).toBeUndefined();
  });

  it('redoes a count that failed on the next read, and fails the read meanwhile so the client retries', async () => {
    // Prepare
    respond({ Status: 'FAILED' });
    const d = deps();
    const broken = {
      ...d,
      sessions: {
        ...table.store,
        countFailure: jest.fn().mockRejectedValue(Object.assign(new Error('down'), { name: 'InternalServerError' })),
      },
    };

    // Act
    const firstRead = await getResult(sid, TEST_OWNER, broken).catch((e: unknown) => e);
    const secondRead = await getResult(sid, TEST_OWNER, d);

    // Assess
    expect(firstRead).toMatchObject({ name: 'InternalServerError' });
    expect(secondRead).toMatchObject({ done: true, isLive: false, reason: 'SESSION_FAILED' });
    expect((await ownerItem(TEST_OWNER))?.failures).toHaveProperty(sid);
    expect((await sessionItem(sid))?.status).toBe('FAILED');
  });

  it('with exposeDetails, adds details to a stored verdict while Rekognition still has them, and none after', async () => {
    // Prepare
    respond(succeeded({ Confidence: 91 }));
    await getResult(sid, TEST_OWNER, deps());

    // Act
    const withDetails = (await getResult(sid, TEST_OWNER, deps({ exposeDetails: true }))) as FinishedResult;
    rekognitionMock.reset();
    rekognitionMock
      .on(GetFaceLivenessSessionResultsCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'SessionNotFoundException' }));
    const d = deps({ exposeDetails: true });
    const without = (await getResult(sid, TEST_OWNER, d)) as FinishedResult;

    // Assess
    expect(withDetails.details?.confidence).toBe(91);
    expect(without).toMatchObject({ isLive: true });
    expect(without.details).toBeUndefined();
    expect(d.telemetry.warn).toHaveBeenCalledWith(expect.any(String), { error: 'SessionNotFoundException' });
  });
});

describe('getResult: one attestation per verdict', () => {
  const TTL = 300;
  const signer = () => ({
    ttlSeconds: TTL,
    sign: jest.fn(
      async (claims: AttestationInput) => `signed.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`,
    ),
  });
  const claimsOf = (result: FinishedResult) =>
    JSON.parse(
      Buffer.from(String(result.attestation).split('.')[1]!, 'base64url').toString('utf8'),
    ) as AttestationInput;
  const at = (ms: number) => () => ms;

  it('is fixed when the verdict is decided: later reads get the same jti, iat and exp, and none once it expires', async () => {
    // Prepare
    respond(succeeded());
    const decidedAt = Date.now();
    const attest = signer();

    // Act
    const first = (await getResult(sid, TEST_OWNER, { ...deps(), attest, now: at(decidedAt) })) as FinishedResult;
    const later = (await getResult(sid, TEST_OWNER, {
      ...deps(),
      attest,
      now: at(decidedAt + (TTL - 1) * 1000),
    })) as FinishedResult;
    const expired = (await getResult(sid, TEST_OWNER, {
      ...deps(),
      attest,
      now: at(decidedAt + TTL * 1000),
    })) as FinishedResult;

    // Assess
    const claims = claimsOf(first);
    expect(claims.iat).toBe(Math.floor(decidedAt / 1000));
    expect(claims.exp).toBe(Math.floor(decidedAt / 1000) + TTL);
    expect(claimsOf(later)).toEqual(claims);
    expect(expired).toMatchObject({ isLive: true, attestationStatus: 'EXPIRED' });
    expect(expired.attestation).toBeUndefined();
    expect(expired.message).toMatch(/new session to prove liveness again/);
    expect(attest.sign).toHaveBeenCalledTimes(2);
  });

  it('hands out no attestation of a consumed verdict, but still the verdict', async () => {
    // Prepare
    respond(succeeded());
    const attest = signer();
    const first = (await getResult(sid, TEST_OWNER, { ...deps(), attest })) as FinishedResult;
    const client = table.dynamo.client();
    try {
      expect(
        await consumeVerdict(client, { tableName: table.dynamo.tableName, claims: claimsOf(first) as never }),
      ).toBe(true);
    } finally {
      client.destroy();
    }

    // Act
    const after = (await getResult(sid, TEST_OWNER, { ...deps(), attest })) as FinishedResult;

    // Assess
    expect(after).toMatchObject({ isLive: true, attestationStatus: 'CONSUMED' });
    expect(after.attestation).toBeUndefined();
    expect(attest.sign).toHaveBeenCalledTimes(1);
  });

  it('echoes the nonce the session was created with, and the subject it is given', async () => {
    // Prepare
    const id = randomUUID();
    await table.store.recordSession({
      sessionId: id,
      owner: TEST_OWNER,
      nonce: 'order-42',
      createdAt: Date.now(),
      expiresAt: Date.now() + 180_000,
      deleteAfterSeconds: Math.ceil(Date.now() / 1000) + 86_400,
    });
    rekognitionMock
      .on(GetFaceLivenessSessionResultsCommand, { SessionId: id })
      .resolves({ SessionId: id, ...succeeded() } as GetFaceLivenessSessionResultsResponse);

    // Act
    const result = (await getResult(
      id,
      TEST_OWNER,
      { ...deps(), attest: signer() },
      'user-pool-sub',
    )) as FinishedResult;

    // Assess
    expect(claimsOf(result)).toMatchObject({ sid: id, nonce: 'order-42', sub: 'user-pool-sub', live: true });
  });

  it('treats a record past its ttl as gone, whatever TTL deletion has done', async () => {
    // Prepare
    respond(succeeded());
    await getResult(sid, TEST_OWNER, deps());
    const deleteAfter = (await table.store.getSession(sid))!.deleteAfterSeconds!;

    // Act
    const gone = getResult(sid, TEST_OWNER, { ...deps(), now: at(deleteAfter * 1000) });

    // Assess
    await expect(gone).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect(await table.store.getSession(sid)).toBeDefined();
  });
});
