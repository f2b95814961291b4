/**
 * The wired create-session and get-result handlers with identity verification on: a check token binds one session,
 * once (unknown, expired, used: 400 IDENTITY_CHECK_INVALID before any Rekognition call); off, the field is unknown;
 * the result's match step writes no similarity, face id, bounding box, subject or image to the logs.
 */
import 'aws-sdk-client-mock-jest';
import { randomUUID } from 'node:crypto';
import type { FinishedResult } from '../../contract/api-types';
import type { ErrorBody } from '../../contract/error-codes';
import { identityEnvironment } from '../../contract/handler-environment';
import {
  checkIdOf,
  dynamoIdentityRecords,
  newCheckToken,
  type IdentityRecords,
} from '../../lambda/shared/identity-records';
import { SESSION_ID, createSessionEvent, getResultEvent, lambdaContext } from '../support/api-event';
import { captureOutput, type CapturedOutput } from '../support/capture-output';
import { loadHandler, type LoadedHandler } from '../support/load-handler';
import { reseedSession, startTestTable, type TestTable } from '../support/session-table';

const SUBJECT = 'customer:SUBJECT-4421';
const SIMILARITY = 99.87654;
const FACE_ID = '5d1e0c2b-FACE-ID-7f3a';
const BOX = { Width: 0.3141592, Height: 0.2718281, Left: 0.1618033, Top: 0.5772156 };
const LIVE_BYTES = Buffer.from('FAKE-JPEG-liveness-reference-0123456789');

let table: TestTable;
let records: IdentityRecords;
let create: LoadedHandler;
let result: LoadedHandler;
let output: CapturedOutput;
const IDENTITY_ENV = identityEnvironment({ similarityThreshold: 99, collectionId: 'subjects' });

beforeAll(async () => {
  table = await startTestTable();
  records = dynamoIdentityRecords(table.dynamo.client(), table.dynamo.tableName);
  create = loadHandler('create-session', { ...table.env, ...IDENTITY_ENV });
  result = loadHandler('get-result', { ...table.env, ...IDENTITY_ENV });
});
afterAll(() => table.close());
beforeEach(() => {
  create.rekognition.reset();
  result.rekognition.reset();
  output = captureOutput();
});
afterEach(() => output.restore());

async function openCheck(method: 'enrolled' | 'enrol', expiresInSeconds = 600): Promise<string> {
  const token = newCheckToken();
  const now = Math.floor(Date.now() / 1000);
  await records.putCheck({
    checkId: checkIdOf(token),
    subject: SUBJECT,
    subjectRef: 'c'.repeat(32),
    method,
    threshold: 99,
    createdAt: new Date().toISOString(),
    expiresAt: now + expiresInSeconds,
    deleteAfterSeconds: now + 86_400,
  });
  return token;
}

const createWith = (body: unknown) => create.handler(createSessionEvent(body), lambdaContext());
const errorOf = (body: string) => (JSON.parse(body) as ErrorBody).error;

describe('POST /sessions with identityCheck', () => {
  it('binds the check to the new session, once: a second session with the token is refused', async () => {
    const token = await openCheck('enrolled');
    const sessionId = randomUUID();
    create.rekognition.on(create.sdk.CreateFaceLivenessSessionCommand).resolves({ SessionId: sessionId });
    const first = await createWith({ identityCheck: token });
    expect(first.statusCode).toBe(201);
    expect((await records.getCheck(checkIdOf(token)))?.sessionId).toBe(sessionId);
    const session = await table.store.getSession(sessionId);
    expect(session?.identityCheck).toEqual({ checkId: checkIdOf(token), method: 'enrolled', subject: SUBJECT });

    create.rekognition.resetHistory();
    const second = await createWith({ identityCheck: token });
    expect(second.statusCode).toBe(400);
    expect(errorOf(second.body)).toMatchObject({
      code: 'IDENTITY_CHECK_INVALID',
      message: expect.stringMatching(/already used/),
    });
    expect(create.rekognition).not.toHaveReceivedCommand(create.sdk.CreateFaceLivenessSessionCommand);
  });

  it('an idempotent repeat of the same create (same clientRequestToken) keeps the binding', async () => {
    const token = await openCheck('enrolled');
    const sessionId = randomUUID();
    create.rekognition.on(create.sdk.CreateFaceLivenessSessionCommand).resolves({ SessionId: sessionId });
    const body = { identityCheck: token, clientRequestToken: 'repeat-1' };
    expect((await createWith(body)).statusCode).toBe(201);
    expect((await createWith(body)).statusCode).toBe(201);
  });

  it.each([
    ['unknown', async () => newCheckToken(), /unknown/],
    ['expired', async () => openCheck('enrolled', -1), /expired/],
  ])('an %s token: 400 IDENTITY_CHECK_INVALID, no Rekognition call', async (_, token, message) => {
    const response = await createWith({ identityCheck: await token() });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response.body)).toMatchObject({
      code: 'IDENTITY_CHECK_INVALID',
      message: expect.stringMatching(message),
    });
    expect(create.rekognition).not.toHaveReceivedCommand(create.sdk.CreateFaceLivenessSessionCommand);
  });

  it('a token of the wrong shape is a VALIDATION_ERROR', async () => {
    const response = await createWith({ identityCheck: 'short' });
    expect(errorOf(response.body)).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/identityCheck must be/),
    });
  });

  it('identity verification off: identityCheck is an unknown field', async () => {
    const off = loadHandler('create-session', table.env);
    const response = await off.handler(createSessionEvent({ identityCheck: newCheckToken() }), lambdaContext());
    expect(response.statusCode).toBe(400);
    expect(errorOf(response.body).message).toContain('unknown field "identityCheck"');
  });
});

describe('GET /sessions/{id}/result of a bound session', () => {
  it('decides the match and logs no similarity, face id, bounding box, subject or image', async () => {
    const token = await openCheck('enrolled');
    await reseedSession(table, SESSION_ID);
    // The session as create-session binds it.
    expect(await records.bindCheck(checkIdOf(token), SESSION_ID, Date.now())).toBe('BOUND');
    const client = table.dynamo.client();
    const { UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    await client.send(
      new UpdateItemCommand({
        TableName: table.dynamo.tableName,
        Key: { pk: { S: `SESSION#${SESSION_ID}` } },
        UpdateExpression: 'SET identityCheck = :c, identityMethod = :m, identitySubject = :s',
        ExpressionAttributeValues: { ':c': { S: checkIdOf(token) }, ':m': { S: 'enrolled' }, ':s': { S: SUBJECT } },
      }),
    );
    client.destroy();
    await records.setEnrolment('c'.repeat(32), [FACE_ID], new Date().toISOString());
    result.rekognition.on(result.sdk.GetFaceLivenessSessionResultsCommand).resolves({
      SessionId: SESSION_ID,
      Status: 'SUCCEEDED',
      Confidence: 97,
      Challenge: { Type: 'FaceMovementAndLightChallenge', Version: '2.0.0' },
      ReferenceImage: { Bytes: new Uint8Array(LIVE_BYTES), BoundingBox: BOX },
    });
    result.rekognition.on(result.sdk.SearchFacesByImageCommand).resolves({
      SearchedFaceBoundingBox: BOX,
      FaceMatches: [
        { Similarity: SIMILARITY, Face: { FaceId: FACE_ID, ExternalImageId: 'c'.repeat(32), BoundingBox: BOX } },
      ],
    });
    const response = await result.handler(getResultEvent(), lambdaContext());
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body) as FinishedResult;
    expect(body.identity).toEqual({ method: 'enrolled', subject: SUBJECT, matched: true, threshold: 99 });
    expect(response.body).not.toContain(String(SIMILARITY));
    expect(response.body).not.toContain(FACE_ID);
    const logs = output.text();
    expect(output.records()).toContainEqual(
      expect.objectContaining({ message: 'Result read', identityMethod: 'enrolled', identityMatched: true }),
    );
    expect(output.records()).toContainEqual(expect.objectContaining({ VerdictLive: 1, IdentityMatched: 1 }));
    for (const needle of [
      String(SIMILARITY),
      '99.876',
      FACE_ID,
      SUBJECT,
      LIVE_BYTES.toString('base64'),
      '0.3141592',
      '0.2718281',
    ])
      expect({ needle, found: logs.includes(needle) }).toEqual({ needle, found: false });
  });
});
