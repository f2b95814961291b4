/** The wired GET /sessions/{sessionId}/result handler, through realistic API Gateway events. */
import 'aws-sdk-client-mock-jest';
import type { GetFaceLivenessSessionResultsResponse } from '@aws-sdk/client-rekognition';
import type { FinishedResult, SessionResult } from '../../contract/api-types';
import type { ErrorBody } from '../../contract/error-codes';
import { HANDLER_ENV } from '../../contract/handler-environment';
import {
  ALLOWED_ORIGIN,
  FOREIGN_ORIGIN,
  SESSION_ID,
  createSessionEvent,
  getResultEvent,
  lambdaContext,
} from '../support/api-event';
import { captureOutput, type CapturedOutput } from '../support/capture-output';
import { awsError, loadHandler, type LoadedHandler } from '../support/load-handler';
import { reseedSession, startTestTable, type TestTable } from '../support/session-table';

// Distinctive values, so that a leak into a body or a log line cannot hide among other numbers.
const CONFIDENCE = 97.4561234;
const BOX = { Width: 0.3141592, Height: 0.2718281, Left: 0.1618033, Top: 0.5772156 };
const BOX_TEXTS = ['0.3141592', '0.2718281', '0.1618033', '0.5772156'];
const REFERENCE_BYTES = Buffer.from('FAKE-JPEG-reference-image-bytes-0123456789');
const AUDIT_BYTES = Buffer.from('FAKE-JPEG-audit-image-bytes-9876543210');
const BUCKET = 'liveness-images-123456789012';
const PREFIX = 'face-liveness/';

function succeeded(
  overrides: Partial<GetFaceLivenessSessionResultsResponse> = {},
): GetFaceLivenessSessionResultsResponse {
  return {
    SessionId: SESSION_ID,
    Status: 'SUCCEEDED',
    Confidence: CONFIDENCE,
    ReferenceImage: { Bytes: new Uint8Array(REFERENCE_BYTES), BoundingBox: BOX },
    AuditImages: [{ Bytes: new Uint8Array(AUDIT_BYTES), BoundingBox: BOX }],
    Challenge: { Type: 'FaceMovementAndLightChallenge', Version: '2.0.0' },
    Feedback: [{ Code: 'LOW_LIGHTING_DETECTED', Message: 'The lighting was too dim.' }],
    ...overrides,
  };
}

function leaksBiometrics(text: string): string[] {
  const needles = [
    String(CONFIDENCE),
    '97.456',
    REFERENCE_BYTES.toString('base64'),
    AUDIT_BYTES.toString('base64'),
    ...BOX_TEXTS,
  ];
  return needles.filter((needle) => text.includes(needle));
}

let output: CapturedOutput;
let table: TestTable;
beforeAll(async () => {
  table = await startTestTable();
});
afterAll(() => table.close());
// Every test starts from a fresh record of SESSION_ID owned by the default event's identity: verdicts are stored once.
beforeEach(async () => {
  await reseedSession(table, SESSION_ID);
  output = captureOutput();
});
afterEach(() => output.restore());

const context = lambdaContext();
const parse = (body: string) => JSON.parse(body) as SessionResult;

describe('with exposeDetails off (the default)', () => {
  let loaded: LoadedHandler;
  beforeAll(() => {
    loaded = loadHandler('get-result', table.env);
  });
  beforeEach(() => loaded.rekognition.reset());

  const respond = (result: Partial<GetFaceLivenessSessionResultsResponse>) =>
    loaded.rekognition
      .on(loaded.sdk.GetFaceLivenessSessionResultsCommand, { SessionId: SESSION_ID })
      .resolves({ SessionId: SESSION_ID, ...result } as GetFaceLivenessSessionResultsResponse);

  it.each(['CREATED', 'IN_PROGRESS'] as const)('answers %s as pending, with Retry-After', async (status) => {
    // Prepare
    respond({ Status: status });

    // Act
    const response = await loaded.handler(getResultEvent(), context);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(parse(response.body)).toEqual({ sessionId: SESSION_ID, status, done: false });
    expect(response.headers['Retry-After']).toBe('2');
    expect(output.records()).toContainEqual(expect.objectContaining({ ResultPending: 1 }));
  });

  it('answers a live verdict with feedback codes and nothing biometric', async () => {
    // Prepare
    respond(succeeded());

    // Act
    const response = await loaded.handler(getResultEvent(), context);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(parse(response.body)).toEqual({
      sessionId: SESSION_ID,
      status: 'SUCCEEDED',
      done: true,
      isLive: true,
      feedback: ['LOW_LIGHTING_DETECTED'],
      challenge: { type: 'FaceMovementAndLightChallenge', version: '2.0.0' },
    });
    expect(response.headers['Retry-After']).toBeUndefined();
    expect(response.body).not.toMatch(/confidence|boundingBox|base64|url|details/i);
    expect(leaksBiometrics(response.body)).toEqual([]);
    // The dashboard's feedback-code widget counts each code with the verdict.
    expect(output.records()).toContainEqual(
      expect.objectContaining({ VerdictLive: 1, 'Feedback.LOW_LIGHTING_DETECTED': 1 }),
    );
  });

  it('never writes confidence, image bytes or bounding boxes to the logs', async () => {
    // Prepare
    respond(succeeded());

    // Act
    await loaded.handler(getResultEvent(), context);

    // Assess
    const logs = output.text();
    expect(logs).toContain('Result read');
    expect(leaksBiometrics(logs)).toEqual([]);
    expect(output.records()).toContainEqual(
      expect.objectContaining({ message: 'Result read', isLive: true, status: 'SUCCEEDED', sessionId: SESSION_ID }),
    );
    expect(output.records()).toContainEqual(expect.objectContaining({ VerdictLive: 1 }));
  });

  it.each([
    ['FAILED', 'SESSION_FAILED'],
    ['EXPIRED', 'SESSION_EXPIRED'],
  ] as const)('answers %s as not live with reason %s', async (status, reason) => {
    // Prepare
    respond({ Status: status });

    // Act
    const response = await loaded.handler(getResultEvent(), context);

    // Assess
    const body = parse(response.body) as FinishedResult;
    expect(body).toMatchObject({ status, done: true, isLive: false, reason, feedback: [] });
    expect(body.message).toMatch(/Start a new session/);
    expect(output.records()).toContainEqual(expect.objectContaining({ VerdictNotLive: 1, reason }));
    // The failed-check alarm watches VerdictNotLive under the service dimension alone.
    const line = output.records().find((r) => r.VerdictNotLive === 1) as any;
    expect(line._aws.CloudWatchMetrics[0].Dimensions).toContainEqual(['service']);
  });

  it('answers not live below the threshold', async () => {
    // Prepare
    respond(succeeded({ Confidence: 79.99 }));

    // Act
    const response = await loaded.handler(getResultEvent(), context);

    // Assess
    expect(parse(response.body)).toMatchObject({ isLive: false, reason: 'LOW_CONFIDENCE' });
    expect(response.body).not.toContain('79.99');
  });

  it.each([
    ['an upper-case id', SESSION_ID.toUpperCase()],
    ['a short id', SESSION_ID.slice(0, 35)],
    ['an id with a path', `${SESSION_ID}/../x`],
  ])('rejects %s with 400 VALIDATION_ERROR without calling Rekognition', async (_, sessionId) => {
    // Act
    const response = await loaded.handler(getResultEvent(sessionId), context);

    // Assess
    expect(response.statusCode).toBe(400);
    expect((JSON.parse(response.body) as ErrorBody).error.code).toBe('VALIDATION_ERROR');
    expect(loaded.rekognition).not.toHaveReceivedAnyCommand();
  });

  it('rejects a request without path parameters', async () => {
    // Act
    const response = await loaded.handler(getResultEvent(SESSION_ID, { pathParameters: null }), context);

    // Assess
    expect(response.statusCode).toBe(400);
  });

  it('answers 404 SESSION_NOT_FOUND, with CORS, for an unknown or expired session', async () => {
    // Prepare
    loaded.rekognition
      .on(loaded.sdk.GetFaceLivenessSessionResultsCommand)
      .rejects(awsError('SessionNotFoundException'));

    // Act
    const response = await loaded.handler(getResultEvent(), context);

    // Assess
    expect(response.statusCode).toBe(404);
    expect((JSON.parse(response.body) as ErrorBody).error).toMatchObject({
      code: 'SESSION_NOT_FOUND',
      message: expect.stringMatching(/another identity.*Start a new session/),
    });
    expect(response.headers['Access-Control-Allow-Origin']).toBe(ALLOWED_ORIGIN);
    expect(output.records()).toContainEqual(
      expect.objectContaining({ message: 'Request rejected', sessionId: SESSION_ID, code: 'SESSION_NOT_FOUND' }),
    );
  });

  it("does not carry one request's session id into the logs of the next", async () => {
    // Prepare
    respond({ Status: 'CREATED' });
    await loaded.handler(getResultEvent(), context);

    // Act
    await loaded.handler(getResultEvent('not-a-session', { requestId: 'second-request' }), context);

    // Assess
    const rejected = output.records().find((r) => r.message === 'Request rejected');
    expect(rejected).toMatchObject({ requestId: 'second-request', code: 'VALIDATION_ERROR' });
    expect(rejected).not.toHaveProperty('sessionId');
  });

  it('keeps CORS off a result answered to a foreign origin', async () => {
    // Prepare
    respond(succeeded());

    // Act
    const response = await loaded.handler(getResultEvent(SESSION_ID, { headers: { Origin: FOREIGN_ORIGIN } }), context);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });
});

describe('with exposeDetails on and a bucket', () => {
  let loaded: LoadedHandler;
  beforeAll(() => {
    loaded = loadHandler('get-result', {
      ...table.env,
      [HANDLER_ENV.EXPOSE_DETAILS]: 'true',
      [HANDLER_ENV.IMAGE_BUCKET]: BUCKET,
      [HANDLER_ENV.IMAGE_KEY_PREFIX]: PREFIX,
    });
  });
  beforeEach(() => loaded.rekognition.reset());

  it('presigns stored images under the configured bucket and prefix', async () => {
    // Prepare
    loaded.rekognition.on(loaded.sdk.GetFaceLivenessSessionResultsCommand).resolves(
      succeeded({
        ReferenceImage: {
          S3Object: { Bucket: BUCKET, Name: `${PREFIX}${SESSION_ID}/reference.jpg` },
          BoundingBox: BOX,
        },
        AuditImages: [
          { S3Object: { Bucket: BUCKET, Name: `${PREFIX}${SESSION_ID}/audit_0.jpg` }, BoundingBox: BOX },
          { S3Object: { Bucket: 'someone-elses-bucket', Name: `${PREFIX}${SESSION_ID}/audit_1.jpg` } },
          { S3Object: { Bucket: BUCKET, Name: `other/${SESSION_ID}/audit_2.jpg` } },
        ],
      }),
    );

    // Act
    const response = await loaded.handler(getResultEvent(), context);

    // Assess
    const { details } = parse(response.body) as FinishedResult;
    expect(details?.confidence).toBe(CONFIDENCE);
    expect(details?.referenceImage?.boundingBox).toEqual({
      width: BOX.Width,
      height: BOX.Height,
      left: BOX.Left,
      top: BOX.Top,
    });
    const url = new URL(details!.referenceImage!.url!);
    expect(url.host).toBe(`${BUCKET}.s3.eu-west-1.amazonaws.com`);
    expect(url.pathname).toBe(`/${PREFIX}${SESSION_ID}/reference.jpg`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(details?.auditImages).toHaveLength(3);
    expect(details?.auditImages[0]?.url).toContain(`/${PREFIX}${SESSION_ID}/audit_0.jpg?`);
    expect(details?.auditImages[1]).toEqual({});
    expect(details?.auditImages[2]).toEqual({});
    expect(output.records()).toContainEqual(expect.objectContaining({ level: 'WARN', bucket: 'someone-elses-bucket' }));
  });

  it('returns image bytes as base64 when Rekognition returned bytes', async () => {
    // Prepare
    loaded.rekognition.on(loaded.sdk.GetFaceLivenessSessionResultsCommand).resolves(succeeded());

    // Act
    const response = await loaded.handler(getResultEvent(), context);

    // Assess
    const { details } = parse(response.body) as FinishedResult;
    expect(details?.referenceImage?.base64).toBe(REFERENCE_BYTES.toString('base64'));
    expect(details?.auditImages[0]?.base64).toBe(AUDIT_BYTES.toString('base64'));
    expect(leaksBiometrics(output.text())).toEqual([]);
  });
});

describe('with an invalid configuration', () => {
  it('answers 500 BACKEND_MISCONFIGURED, with CORS, and logs every problem', async () => {
    // Prepare
    const loaded = loadHandler('get-result', {
      [HANDLER_ENV.CONFIDENCE_THRESHOLD]: 'abc',
      [HANDLER_ENV.SDK_MAX_ATTEMPTS]: '9',
    });

    // Act
    const response = await loaded.handler(getResultEvent(), context);

    // Assess
    expect(response.statusCode).toBe(500);
    expect((JSON.parse(response.body) as ErrorBody).error.code).toBe('BACKEND_MISCONFIGURED');
    expect(response.body).not.toContain('CONFIDENCE_THRESHOLD');
    expect(response.headers['Access-Control-Allow-Origin']).toBe(ALLOWED_ORIGIN);
    const logged = output.records().find((r) => r.code === 'BACKEND_MISCONFIGURED');
    expect(logged).toMatchObject({
      level: 'ERROR',
      detail: expect.stringContaining('CONFIDENCE_THRESHOLD must be a number from 0 to 100 (got "abc")'),
    });
    expect(logged?.detail).toContain('SDK_MAX_ATTEMPTS must be an integer from 1 to 5');
    expect(loaded.rekognition).not.toHaveReceivedAnyCommand();
  });

  it('answers without CORS when ALLOWED_ORIGINS itself is broken', async () => {
    // Prepare
    const loaded = loadHandler('create-session', { [HANDLER_ENV.ALLOWED_ORIGINS]: 'app.example.com' });

    // Act
    const response = await loaded.handler(createSessionEvent({}), context);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });
});

describe('with ALLOWED_ORIGINS=*', () => {
  it('allows every origin', async () => {
    // Prepare
    const loaded = loadHandler('get-result', { ...table.env, [HANDLER_ENV.ALLOWED_ORIGINS]: '*' });
    loaded.rekognition
      .on(loaded.sdk.GetFaceLivenessSessionResultsCommand)
      .resolves({ SessionId: SESSION_ID, Status: 'CREATED' });

    // Act
    const response = await loaded.handler(getResultEvent(SESSION_ID, { headers: { Origin: FOREIGN_ORIGIN } }), context);

    // Assess
    expect(response.headers['Access-Control-Allow-Origin']).toBe('*');
  });
});

describe('ownership through the wired handler', () => {
  let loaded: LoadedHandler;
  beforeAll(() => {
    loaded = loadHandler('get-result', table.env);
  });
  beforeEach(() => {
    loaded.rekognition.reset();
    loaded.rekognition.on(loaded.sdk.GetFaceLivenessSessionResultsCommand).resolves(succeeded());
  });

  /** Everything a caller sees, with the per-request id taken out. */
  const visible = (response: { statusCode: number; headers: Record<string, string>; body: string }) => ({
    statusCode: response.statusCode,
    headers: { ...response.headers, 'X-Request-Id': '<id>' },
    body: response.body.replace(/"requestId":"[^"]*"/, '"requestId":"<id>"'),
  });

  it("answers another identity's session byte for byte like an unknown one, and asks Rekognition nothing", async () => {
    // Prepare
    const intruder = { cognitoIdentityId: 'eu-west-1:intruder-identity' };

    // Act
    const foreign = await loaded.handler(getResultEvent(SESSION_ID, { identity: intruder, requestId: 'r1' }), context);
    const unknown = await loaded.handler(
      getResultEvent('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', { identity: intruder, requestId: 'r2' }),
      context,
    );

    // Assess
    expect(foreign.statusCode).toBe(404);
    expect(visible(foreign)).toEqual(visible(unknown));
    expect(foreign.headers['X-Request-Id']).toBe('r1');
    expect(JSON.parse(foreign.body).error.requestId).toBe('r1');
    expect(loaded.rekognition).not.toHaveReceivedAnyCommand();
  });

  it('answers the owner, and the owner only', async () => {
    // Act
    const response = await loaded.handler(getResultEvent(), context);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(parse(response.body)).toMatchObject({ sessionId: SESSION_ID, isLive: true });
    expect(response.headers['X-Request-Id']).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
  });

  it('takes the owner from the user pool sub with AUTH_MODE=cognito, and ignores identity fields', async () => {
    // Prepare
    const cognito = loadHandler('get-result', { ...table.env, [HANDLER_ENV.AUTH_MODE]: 'cognito' });
    cognito.rekognition.on(cognito.sdk.GetFaceLivenessSessionResultsCommand).resolves(succeeded());
    await reseedSession(table, SESSION_ID, 'user:5f4e3d2c-sub');

    // Act
    const owner = await cognito.handler(
      getResultEvent(SESSION_ID, { authorizer: { claims: { sub: '5f4e3d2c-sub' } } }),
      context,
    );
    const other = await cognito.handler(
      getResultEvent(SESSION_ID, { authorizer: { claims: { sub: 'someone-else' } } }),
      context,
    );
    const none = await cognito.handler(getResultEvent(SESSION_ID), context);

    // Assess
    expect(owner.statusCode).toBe(200);
    expect(other.statusCode).toBe(404);
    expect(none.statusCode).toBe(401);
  });

  it('takes the owner from the source address with AUTH_MODE=none', async () => {
    // Prepare
    const open = loadHandler('get-result', { ...table.env, [HANDLER_ENV.AUTH_MODE]: 'none' });
    open.rekognition.on(open.sdk.GetFaceLivenessSessionResultsCommand).resolves(succeeded());
    await reseedSession(table, SESSION_ID, 'ip:2001:db8:1:2::/64');

    // Act: another address in the same /64 is the same owner; another /64 is not
    const sameNetwork = await open.handler(
      getResultEvent(SESSION_ID, { identity: { sourceIp: '2001:db8:1:2:aaaa::9' } }),
      context,
    );
    const otherNetwork = await open.handler(
      getResultEvent(SESSION_ID, { identity: { sourceIp: '2001:db8:1:3::9' } }),
      context,
    );

    // Assess
    expect(sameNetwork.statusCode).toBe(200);
    expect(otherNetwork.statusCode).toBe(404);
  });
});
