/** The wired POST /sessions handler, through realistic API Gateway events. */
import 'aws-sdk-client-mock-jest';
import { ERROR_CODES, RETRY_AFTER_SECONDS, type ErrorBody } from '../../contract/error-codes';
import { MAX_CREATE_BODY_BYTES, SESSION_TTL_SECONDS } from '../../contract/liveness-model';
import { ALLOWED_ORIGIN, FOREIGN_ORIGIN, SESSION_ID, createSessionEvent, lambdaContext } from '../support/api-event';
import { captureOutput, type CapturedOutput } from '../support/capture-output';
import { TEST_REGION, awsError, loadHandler, type LoadedHandler } from '../support/load-handler';
import { refOf, startTestTable, tableItems, TEST_OWNER, type TestTable } from '../support/session-table';
import { ownerToken } from '../../lambda/create-session/core';

/** What Rekognition gets: the client's (or a generated) token bound to the owner, 43 base64url characters. */
const OWNER_TOKEN = /^[A-Za-z0-9_-]{43}$/;

let loaded: LoadedHandler;
let output: CapturedOutput;
let table: TestTable;

beforeAll(async () => {
  table = await startTestTable();
  loaded = loadHandler('create-session', table.env);
});
afterAll(() => table.close());

beforeEach(() => {
  loaded.rekognition.reset();
  loaded.rekognition.on(loaded.sdk.CreateFaceLivenessSessionCommand).resolves({ SessionId: SESSION_ID });
  output = captureOutput();
});

afterEach(() => output.restore());

const invoke = (event = createSessionEvent()) => loaded.handler(event, lambdaContext());
const errorOf = (body: string) => (JSON.parse(body) as ErrorBody).error;

describe('success', () => {
  it('creates a session with server defaults when there is no body', async () => {
    // Prepare
    const before = Date.now();

    // Act
    const response = await invoke(createSessionEvent());

    // Assess
    expect(response.statusCode).toBe(201);
    const body = JSON.parse(response.body) as { sessionId: string; region: string; expiresAt: string };
    expect(body.sessionId).toBe(SESSION_ID);
    expect(body.region).toBe(TEST_REGION);
    const expiresAt = Date.parse(body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + SESSION_TTL_SECONDS * 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + SESSION_TTL_SECONDS * 1000);
    expect(loaded.rekognition).toHaveReceivedCommandTimes(loaded.sdk.CreateFaceLivenessSessionCommand, 1);
    const input = loaded.rekognition.commandCalls(loaded.sdk.CreateFaceLivenessSessionCommand)[0]!.args[0].input;
    expect(input).toEqual({
      ClientRequestToken: expect.stringMatching(OWNER_TOKEN),
      Settings: { AuditImagesLimit: 0, ChallengePreferences: [{ Type: 'FaceMovementAndLightChallenge' }] },
    });
  });

  it('accepts an empty string body without a content type', async () => {
    // Act
    const response = await invoke(createSessionEvent(undefined, { body: '', headers: { Origin: ALLOWED_ORIGIN } }));

    // Assess
    expect(response.statusCode).toBe(201);
  });

  it('passes the client fields and decodes a base64 body', async () => {
    // Prepare
    const json = JSON.stringify({
      clientRequestToken: 'retry-token_1',
      auditImagesLimit: 2,
      challenge: 'FaceMovementAndLightChallenge',
    });
    const event = createSessionEvent(undefined, {
      body: Buffer.from(json).toString('base64'),
      isBase64Encoded: true,
      headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json; charset=utf-8' },
    });

    // Act
    const response = await invoke(event);

    // Assess
    expect(response.statusCode).toBe(201);
    expect(loaded.rekognition).toHaveReceivedCommandWith(loaded.sdk.CreateFaceLivenessSessionCommand, {
      ClientRequestToken: ownerToken(refOf(TEST_OWNER), 'retry-token_1'),
      Settings: { AuditImagesLimit: 2, ChallengePreferences: [{ Type: 'FaceMovementAndLightChallenge' }] },
    });
  });

  it('sends CORS, cache and content-type headers for an allowed origin', async () => {
    // Act
    const response = await invoke(createSessionEvent({}));

    // Assess
    expect(response.headers).toEqual({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      Vary: 'Origin',
      'Access-Control-Allow-Origin': ALLOWED_ORIGIN,
      'Access-Control-Expose-Headers': 'Retry-After, X-Request-Id',
      'X-Request-Id': 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    });
  });

  it('sends no Access-Control-Allow-Origin to a foreign origin', async () => {
    // Act
    const response = await invoke(
      createSessionEvent({}, { headers: { Origin: FOREIGN_ORIGIN, 'Content-Type': 'application/json' } }),
    );

    // Assess
    expect(response.statusCode).toBe(201);
    expect(response.headers['Access-Control-Allow-Origin']).toBeUndefined();
    expect(response.headers.Vary).toBe('Origin');
  });

  it('emits the SessionCreated metric and logs the request and session ids', async () => {
    // Act
    await invoke(createSessionEvent(undefined, { requestId: 'req-123' }));

    // Assess
    const records = output.records();
    expect(records.some((r) => r.SessionCreated === 1)).toBe(true);
    expect(records).toContainEqual(
      expect.objectContaining({ message: 'Session created', requestId: 'req-123', sessionId: SESSION_ID }),
    );
  });
});

describe('ownership and lockout', () => {
  it("records the session under the owner reference of the caller's Cognito identity, never the identity id", async () => {
    // Act
    await invoke(createSessionEvent({}));

    // Assess
    const { sessions } = await tableItems(table.dynamo);
    expect(sessions).toContainEqual(expect.objectContaining({ sessionId: SESSION_ID, owner: refOf(TEST_OWNER) }));
    expect(JSON.stringify(sessions)).not.toContain(TEST_OWNER.split(':').pop());
  });

  it('answers a request without a caller identity with 401, without calling Rekognition', async () => {
    // Act
    const response = await invoke(createSessionEvent({}, { identity: { cognitoIdentityId: null, userArn: null } }));

    // Assess
    expect(response.statusCode).toBe(401);
    expect(errorOf(response.body).code).toBe('UNAUTHORIZED');
    expect(loaded.rekognition).not.toHaveReceivedAnyCommand();
  });

  it('answers a locked-out caller 429 LOCKED_OUT with the remaining seconds in Retry-After, readable by the browser', async () => {
    // Prepare
    const identity = { cognitoIdentityId: 'eu-west-1:locked-out-identity' };
    const policy = {
      maxFailures: 5,
      windowMs: 180_000,
      lockoutMs: 1_800_000,
      backoffFactor: 2,
      maxLockoutMs: 86_400_000,
    };
    for (let i = 0; i < 5; i++)
      await table.store.countFailure(
        refOf(`cognito:${identity.cognitoIdentityId}`),
        { sessionId: `f-${i}`, failedAt: Date.now() },
        Date.now(),
        policy,
      );

    // Act
    const response = await invoke(
      createSessionEvent({}, { identity, headers: { Origin: ALLOWED_ORIGIN, 'Content-Type': 'application/json' } }),
    );

    // Assess
    expect(response.statusCode).toBe(429);
    expect(errorOf(response.body)).toMatchObject({
      code: 'LOCKED_OUT',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    });
    expect(Number(response.headers['Retry-After'])).toBeGreaterThan(1790);
    expect(Number(response.headers['Retry-After'])).toBeLessThanOrEqual(1800);
    expect(response.headers['Access-Control-Expose-Headers']).toBe('Retry-After, X-Request-Id');
    expect(response.headers['X-Request-Id']).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef');
    expect(loaded.rekognition).not.toHaveReceivedAnyCommand();
    expect(output.records()).toContainEqual(expect.objectContaining({ Error: 1, errorCode: 'LOCKED_OUT' }));
  });

  it('answers 503 and hands out no session id when the session table fails', async () => {
    // Prepare
    table.dynamo.faults.failNext('InternalServerError', { count: 2, operation: 'UpdateItem' });

    // Act
    const response = await invoke(createSessionEvent({}));

    // Assess
    expect(response.statusCode).toBe(503);
    expect(errorOf(response.body).code).toBe('SERVICE_UNAVAILABLE');
    expect(response.body).not.toContain(SESSION_ID);
    expect(response.headers['Retry-After']).toBe('1');
  });

  it('logs the owner reference, never the identity itself', async () => {
    // Act
    await invoke(createSessionEvent({}));

    // Assess
    expect(output.text()).not.toContain(TEST_OWNER.split(':').pop());
    expect(output.records()).toContainEqual(
      expect.objectContaining({ message: 'Session created', ownerRef: refOf(TEST_OWNER) }),
    );
  });
});

describe('request validation', () => {
  it.each([
    ['a JSON array', '[]'],
    ['a JSON string', '"hello"'],
    ['JSON null', 'null'],
    ['a number', '42'],
  ])('rejects %s with 400 VALIDATION_ERROR', async (_, body) => {
    // Act
    const response = await invoke(
      createSessionEvent(undefined, { body, headers: { Origin: ALLOWED_ORIGIN, 'Content-Type': 'application/json' } }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response.body).code).toBe('VALIDATION_ERROR');
    expect(loaded.rekognition).not.toHaveReceivedAnyCommand();
  });

  it('names every problem of the body in one message', async () => {
    // Act
    const response = await invoke(createSessionEvent({ auditImagesLimit: 5, challenge: 'Smile', extra: true }));

    // Assess
    expect(response.statusCode).toBe(400);
    const { message } = errorOf(response.body);
    expect(message).toContain('auditImagesLimit must be an integer from 0 to 4');
    expect(message).toContain('challenge must be one of FaceMovementAndLightChallenge, FaceMovementChallenge');
    expect(message).toContain('unknown field "extra"');
  });

  it('answers 400 MALFORMED_JSON to a body that is not JSON', async () => {
    // Act
    const response = await invoke(
      createSessionEvent(undefined, {
        body: '{"auditImagesLimit": ',
        headers: { Origin: ALLOWED_ORIGIN, 'Content-Type': 'application/json' },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(errorOf(response.body)).toMatchObject({
      code: 'MALFORMED_JSON',
      message: 'The request body is not valid JSON.',
    });
  });

  it.each([
    ['text/plain', { 'Content-Type': 'text/plain' }],
    ['form data', { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['no content type', {}],
  ])('answers 415 UNSUPPORTED_MEDIA_TYPE to a body sent as %s', async (_, headers) => {
    // Act
    const response = await invoke(
      createSessionEvent(undefined, { body: '{}', headers: { Origin: ALLOWED_ORIGIN, ...headers } }),
    );

    // Assess
    expect(response.statusCode).toBe(415);
    expect(errorOf(response.body).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 PAYLOAD_TOO_LARGE above the body limit, and accepts a body at the limit', async () => {
    // Prepare: a syntactically valid token field padded with spaces to exactly the limit, then one byte more.
    const core = '{"clientRequestToken":"t"}';
    const atLimit = core.padEnd(MAX_CREATE_BODY_BYTES, ' ');
    const headers = { Origin: ALLOWED_ORIGIN, 'Content-Type': 'application/json' };

    // Act
    const ok = await invoke(createSessionEvent(undefined, { body: atLimit, headers }));
    const tooLarge = await invoke(createSessionEvent(undefined, { body: `${atLimit} `, headers }));

    // Assess
    expect(ok.statusCode).toBe(201);
    expect(tooLarge.statusCode).toBe(413);
    expect(errorOf(tooLarge.body).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('error mapping', () => {
  it.each([
    ['InvalidParameterException', 400, 'VALIDATION_ERROR'],
    ['ThrottlingException', 429, 'THROTTLED'],
    ['ProvisionedThroughputExceededException', 429, 'THROTTLED'],
    ['InternalServerError', 503, 'SERVICE_UNAVAILABLE'],
    ['AccessDeniedException', 500, 'BACKEND_MISCONFIGURED'],
    ['TimeoutError', 504, 'UPSTREAM_TIMEOUT'],
    ['AbortError', 504, 'UPSTREAM_TIMEOUT'],
    ['RequestTimeout', 504, 'UPSTREAM_TIMEOUT'],
    ['SomethingNewException', 500, 'INTERNAL_ERROR'],
  ] as const)('maps %s to %i %s', async (name, status, code) => {
    // Prepare
    loaded.rekognition
      .on(loaded.sdk.CreateFaceLivenessSessionCommand)
      .rejects(awsError(name, 'arn:aws:iam::123456789012:role/secret-internal-detail'));

    // Act
    const response = await invoke(createSessionEvent({}));

    // Assess
    expect(response.statusCode).toBe(status);
    expect(ERROR_CODES[code].status).toBe(status);
    const error = errorOf(response.body);
    expect(error).toEqual({ code, message: expect.any(String), requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' });
    expect(response.headers['Retry-After']).toBe(
      RETRY_AFTER_SECONDS[code] === undefined ? undefined : String(RETRY_AFTER_SECONDS[code]),
    );
    expect(response.headers['Access-Control-Allow-Origin']).toBe(ALLOWED_ORIGIN);
    expect(response.body).not.toContain('secret-internal-detail');
    expect(response.body).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('tells the client that the backend role or region is wrong, and logs it as an error', async () => {
    // Prepare
    loaded.rekognition
      .on(loaded.sdk.CreateFaceLivenessSessionCommand)
      .rejects(
        awsError('AccessDeniedException', 'User is not authorized to perform rekognition:CreateFaceLivenessSession'),
      );

    // Act
    const response = await invoke(createSessionEvent({}));

    // Assess
    expect(errorOf(response.body).message).toMatch(/IAM role or region is misconfigured/);
    expect(output.records()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        code: 'BACKEND_MISCONFIGURED',
        detail: expect.stringContaining('not authorized'),
      }),
    );
  });

  it('answers 504 when the function is about to time out, before Lambda kills it', async () => {
    // Prepare
    let finish = () => {};
    const slowCall = new Promise<void>((resolve) => (finish = resolve));
    loaded.rekognition.on(loaded.sdk.CreateFaceLivenessSessionCommand).callsFake(async () => {
      await slowCall;
      return { SessionId: SESSION_ID };
    });

    // Act
    const response = await loaded.handler(
      createSessionEvent({}),
      lambdaContext({ getRemainingTimeInMillis: () => 30 }),
    );

    // Assess
    expect(response.statusCode).toBe(504);
    expect(errorOf(response.body).code).toBe('UPSTREAM_TIMEOUT');
    // Let the abandoned call finish while the output is still captured.
    finish();
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('counts errors by code', async () => {
    // Prepare
    loaded.rekognition.on(loaded.sdk.CreateFaceLivenessSessionCommand).rejects(awsError('ThrottlingException'));

    // Act
    await invoke(createSessionEvent({}));

    // Assess
    expect(output.records()).toContainEqual(expect.objectContaining({ Error: 1, errorCode: 'THROTTLED' }));
  });

  it('keeps CORS off an error answered to a foreign origin', async () => {
    // Act
    const response = await invoke(
      createSessionEvent('nope', {
        body: '[',
        headers: { Origin: FOREIGN_ORIGIN, 'Content-Type': 'application/json' },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });
});

describe('with an invalid configuration', () => {
  it('answers 500 BACKEND_MISCONFIGURED instead of failing to load, and logs the problem', async () => {
    // Prepare
    const misconfigured = loadHandler('create-session', { CONFIDENCE_THRESHOLD: 'abc' });

    // Act
    const response = await misconfigured.handler(createSessionEvent({ auditImagesLimit: 1 }), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(500);
    expect(errorOf(response.body)).toMatchObject({
      code: 'BACKEND_MISCONFIGURED',
      message: expect.stringMatching(/operator/),
    });
    expect(response.headers['Access-Control-Allow-Origin']).toBe(ALLOWED_ORIGIN);
    expect(output.records()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        code: 'BACKEND_MISCONFIGURED',
        detail: expect.stringContaining('CONFIDENCE_THRESHOLD must be a number from 0 to 100 (got "abc")'),
      }),
    );
    expect(misconfigured.rekognition).not.toHaveReceivedAnyCommand();
  });
});
