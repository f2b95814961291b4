/**
 * Property-based fuzzing of both wired handlers with arbitrary API Gateway events: bodies (text, JSON, binary,
 * base64 or not, up to 12 KB), headers, path parameters, caller identities and authorizer claims, request ids, under
 * each auth mode. The session table is the local DynamoDB stand-in and Rekognition a healthy mock answering any
 * state, so every 5xx would be caused by the input: there must be none.
 *
 * Every answer: no throw; a JSON body; an error from the shared table with its status, a message and the request id
 * (the same as X-Request-Id); CORS for an allowed origin; no stack trace; never a confidence, a bounding box or an
 * image (exposeDetails is off); a 200 result only for the session's owner.
 *
 * A failure prints fast-check's seed and path; replay it with FUZZ_SEED=<seed> (and FUZZ_PATH=<path>).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../../contract/error-codes';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { CHALLENGE_TYPES, FEEDBACK_CODES, SESSION_STATUSES } from '../../contract/liveness-model';
import { ownerOf } from '../../lambda/shared/identity';
import type { AuthMode } from '../../contract/setting-rules';
import { ALLOWED_ORIGIN, FOREIGN_ORIGIN, lambdaContext } from '../support/api-event';
import { captureOutput, type CapturedOutput } from '../support/capture-output';
import { loadHandler, type HttpResponse, type LoadedHandler } from '../support/load-handler';
import { refOf, seedSession, startTestTable, type TestTable } from '../support/session-table';

/** Cases per handler under IAM auth, and under each of the other two auth modes. */
const MAIN_RUNS = Number(process.env.FUZZ_RUNS ?? 2500);
const OTHER_MODE_RUNS = Math.ceil(MAIN_RUNS / 4);
/** A safety net for a slow machine (below the test timeout); the run count reached is printed. */
const TIME_LIMIT_MS = 45_000;
jest.setTimeout(90_000);
// Distinctive, so a leak cannot hide among other numbers.
const CONFIDENCE = 87.6543219;

let table: TestTable;
let output: CapturedOutput;

/** A few callers that own a few sessions each, so the fuzzer reaches owned, foreign and unknown sessions alike. */
const IDENTITIES = [
  'eu-west-1:aaaaaaaa-0000-4000-8000-000000000001',
  'eu-west-1:bbbbbbbb-0000-4000-8000-000000000002',
  'eu-west-1:cccccccc-0000-4000-8000-000000000003',
];
const SUBS = ['sub-1', 'sub-2'];
const IPS = ['203.0.113.7', '2001:db8:1:2::7'];
const SESSIONS = Array.from({ length: 12 }, () => randomUUID());
/** Which caller owns each pooled session, per auth mode. */
const OWNERS: Record<AuthMode, string[]> = {
  iam: IDENTITIES.map((id) => `cognito:${id}`),
  cognito: SUBS.map((sub) => `user:${sub}`),
  none: ['ip:203.0.113.7', 'ip:2001:db8:1:2::/64'],
};

beforeAll(async () => {
  table = await startTestTable();
  for (const mode of ['iam', 'cognito', 'none'] as const) {
    for (const [i, id] of SESSIONS.entries()) {
      // The same ids under each mode would collide: each mode gets its own copy of the pool (suffix swapped in).
      await seedSession(table.store, poolId(mode, id), refOf(OWNERS[mode][i % OWNERS[mode].length]!));
    }
  }
});
afterAll(() => table.close());
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => output.restore());

function poolId(mode: AuthMode, id: string): string {
  return `${id.slice(0, 35)}${{ iam: '1', cognito: '2', none: '3' }[mode]}`;
}

// ---- arbitraries ---------------------------------------------------------------------------------------------------

const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.string({ maxLength, unit: 'binary' }),
  );

const originHeader = fc.option(
  fc.record({
    name: fc.constantFrom('Origin', 'origin', 'ORIGIN'),
    value: fc.oneof(fc.constant(ALLOWED_ORIGIN), fc.constant(FOREIGN_ORIGIN), text(40)),
  }),
  { nil: undefined },
);
const otherHeaders = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'Content-Type',
      'content-type',
      'Authorization',
      'X-Forwarded-For',
      'X-Amz-Date',
      'Accept',
      'Cookie',
    ),
    text(20).filter((k) => !/^origin$/i.test(k)),
  ),
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'text/plain',
      '',
      'Bearer x.y.z',
      '1.2.3.4',
    ),
    text(60),
  ),
  { maxKeys: 6 },
);
const headers = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(otherHeaders, originHeader)
      .map(([h, o]) => (o === undefined ? h : { ...h, [o.name]: o.value })),
  },
);

const nearlyValidBody = fc.record(
  {
    clientRequestToken: fc.oneof(fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/), text(80), fc.integer(), fc.constant(null)),
    auditImagesLimit: fc.oneof(fc.integer({ min: -3, max: 7 }), fc.double(), text(3), fc.constant(null)),
    challenge: fc.oneof(fc.constantFrom(...CHALLENGE_TYPES), text(30)),
    __proto__: fc.anything(),
    constructor: fc.anything(),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);
const bodyText = fc.oneof(
  fc.constant(''),
  text(200),
  fc.json({ maxDepth: 4 }),
  nearlyValidBody.map((b) => JSON.stringify(b)),
  fc.string({ minLength: 1000, maxLength: 1100 }),
  fc.string({ minLength: 4000, maxLength: 12_000 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
/** [body, isBase64Encoded]: plain text, properly base64-encoded, or claimed base64 that is not. */
const body = fc.oneof(
  fc.constant<[string | null, boolean]>([null, false]),
  bodyText.map((b): [string | null, boolean] => [b, false]),
  bodyText.map((b): [string | null, boolean] => [Buffer.from(b).toString('base64'), true]),
  text(100).map((b): [string | null, boolean] => [b, true]),
);

const sessionIdParam = (mode: AuthMode) =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...SESSIONS.map((id) => poolId(mode, id))) },
    { weight: 2, arbitrary: fc.uuid().map((id) => id.toLowerCase()) },
    { weight: 1, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
    { weight: 2, arbitrary: text(60) },
    { weight: 1, arbitrary: fc.constantFrom('../../etc/passwd', '%00', '\u0000', '', ' '.repeat(36)) },
  );
const pathParameters = (mode: AuthMode) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 12, arbitrary: sessionIdParam(mode).map((sessionId) => ({ sessionId })) },
    { weight: 1, arbitrary: fc.dictionary(text(10), text(10), { maxKeys: 3 }) },
  );

// Weighted towards the pooled callers, so that owned sessions (and so the verdict paths) are reached often.
const identity = fc.record({
  cognitoIdentityId: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...IDENTITIES) },
    fc.constant(null),
    text(80),
    fc.string({ minLength: 300, maxLength: 2000 }),
  ),
  userArn: fc.oneof(fc.constant(null), fc.constant('arn:aws:sts::123456789012:assumed-role/r/s'), text(100)),
  sourceIp: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...IPS, '2001:db8:1:2:ffff::1') },
    fc.ipV4(),
    fc.ipV6(),
    text(40),
    fc.constant(null),
  ),
});
const authorizer = fc.oneof(
  fc.constant(null),
  {
    weight: 6,
    arbitrary: fc.record({
      claims: fc.record(
        { sub: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SUBS) }, text(60), fc.integer()) },
        { requiredKeys: [] },
      ),
    }),
  },
  fc.anything(),
);
const requestId = fc.oneof(fc.uuid(), text(40), fc.string({ minLength: 200, maxLength: 400 }));

const event = (route: 'createSession' | 'getResult', mode: AuthMode) =>
  fc
    .record({
      headers,
      body,
      pathParameters: route === 'getResult' ? pathParameters(mode) : fc.constant(null),
      identity,
      authorizer,
      requestId,
    })
    .map(
      ({
        headers: h,
        body: [b, base64],
        pathParameters: p,
        identity: id,
        authorizer: auth,
        requestId: rid,
      }): APIGatewayProxyEvent => ({
        resource: route === 'createSession' ? '/sessions' : '/sessions/{sessionId}/result',
        path:
          route === 'createSession'
            ? '/sessions'
            : `/sessions/${String((p as { sessionId?: unknown } | null)?.sessionId ?? '')}/result`,
        httpMethod: route === 'createSession' ? 'POST' : 'GET',
        headers: h as APIGatewayProxyEvent['headers'],
        multiValueHeaders: {},
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: p as APIGatewayProxyEvent['pathParameters'],
        stageVariables: null,
        body: b,
        isBase64Encoded: base64,
        requestContext: {
          accountId: '123456789012',
          apiId: 'fuzz',
          authorizer: auth as never,
          protocol: 'HTTP/1.1',
          httpMethod: 'GET',
          path: '/v1',
          stage: 'v1',
          requestId: rid,
          requestTimeEpoch: 0,
          resourceId: 'r',
          resourcePath: '/',
          identity: {
            accessKey: null,
            accountId: null,
            apiKey: null,
            apiKeyId: null,
            caller: null,
            clientCert: null,
            cognitoAuthenticationProvider: null,
            cognitoAuthenticationType: null,
            cognitoIdentityPoolId: null,
            principalOrgId: null,
            user: null,
            userAgent: null,
            ...(id as object),
          } as APIGatewayProxyEvent['requestContext']['identity'],
        },
      }),
    );

/** Whatever state Rekognition might report, with a distinctive confidence and real-looking images. */
const rekognitionSession = fc.record({
  Status: fc.constantFrom(...SESSION_STATUSES),
  Confidence: fc.option(fc.constantFrom(CONFIDENCE, 99.5, 10.25, 80), { nil: undefined }),
  ReferenceImage: fc.option(
    fc.record({
      Bytes: fc.constant(new Uint8Array([0xff, 0xd8, 0xff, 1, 2])),
      BoundingBox: fc.constant({ Width: 0.3141592, Height: 0.5, Left: 0.1, Top: 0.2 }),
    }),
    { nil: undefined },
  ),
  AuditImages: fc.constant([{ Bytes: new Uint8Array([0xff, 0xd8, 0xff, 9]) }]),
  Feedback: fc.option(
    fc.array(
      fc.record({
        Code: fc.oneof(fc.constantFrom(...FEEDBACK_CODES), text(20)) as fc.Arbitrary<never>,
        Message: text(20),
      }),
      { maxLength: 10 },
    ),
    { nil: undefined },
  ),
});

// ---- invariants ----------------------------------------------------------------------------------------------------

function originOf(h: APIGatewayProxyEvent['headers'] | null): string | undefined {
  if (!h) return undefined;
  const key = Object.keys(h).find((k) => k === 'Origin') ?? Object.keys(h).find((k) => k.toLowerCase() === 'origin');
  return key === undefined ? undefined : h[key];
}

function assertWellFormed(e: APIGatewayProxyEvent, response: HttpResponse): void {
  expect(response.statusCode).toBeLessThan(500);
  expect(response.headers['Content-Type']).toBe('application/json');
  expect(response.headers['Cache-Control']).toBe('no-store');
  expect(response.body).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
  expect(response.body).not.toMatch(
    /"confidence"|"boundingBox"|"base64"|"url"|"details"|"referenceImage"|87\.654|0\.314159/,
  );
  const requestId = response.headers['X-Request-Id'];
  expect(requestId).toMatch(/^[\w-]{1,128}$/);
  if (originOf(e.headers) === ALLOWED_ORIGIN) {
    expect(response.headers['Access-Control-Allow-Origin']).toBe(ALLOWED_ORIGIN);
    expect(response.headers['Access-Control-Expose-Headers']).toBe('Retry-After, X-Request-Id');
  } else {
    expect(response.headers['Access-Control-Allow-Origin']).toBeUndefined();
  }
  const parsed = JSON.parse(response.body) as Partial<ErrorBody>;
  if (response.statusCode < 300) return;
  const code = parsed.error?.code as ErrorCode;
  expect(Object.keys(ERROR_CODES)).toContain(code);
  expect(ERROR_CODES[code].status).toBe(response.statusCode);
  expect(typeof parsed.error?.message).toBe('string');
  expect(parsed.error?.requestId).toBe(requestId);
  if (ERROR_CODES[code].retryable) expect(Number(response.headers['Retry-After'])).toBeGreaterThan(0);
}

/** Runs a property, prints how many cases ran, and fails with fast-check's report (seed and path) on a counterexample. */
async function fuzz<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  predicate: (value: T) => Promise<number>,
): Promise<void> {
  const statuses = new Map<number, number>();
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  const started = Date.now();
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      const status = await predicate(value);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }),
    {
      numRuns,
      interruptAfterTimeLimit: TIME_LIMIT_MS,
      ...(seed !== undefined && { seed }),
      ...(process.env.FUZZ_PATH !== undefined && { path: process.env.FUZZ_PATH }),
    },
  );
  output.restore();
  console.log(
    `fuzz ${name}: ${details.numRuns} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${details.seed}${details.interrupted ? ' (time limit reached)' : ''}; statuses ${[
      ...statuses,
    ]
      .sort(([a], [b]) => a - b)
      .map(([k, v]) => `${k}×${v}`)
      .join(' ')}`,
  );
  if (details.failed)
    throw new Error(`${name}: ${fc.defaultReportMessage(details)}\nCause: ${String(details.errorInstance)}`);
  expect(details.numRuns).toBeGreaterThanOrEqual(Math.min(numRuns, 1000));
}

// ---- the properties ------------------------------------------------------------------------------------------------

describe.each([
  ['iam', MAIN_RUNS],
  ['cognito', OTHER_MODE_RUNS],
  ['none', OTHER_MODE_RUNS],
] as const)('with AUTH_MODE=%s', (mode, runs) => {
  let create: LoadedHandler;
  let result: LoadedHandler;
  beforeAll(() => {
    const env = { ...table.env, [HANDLER_ENV.AUTH_MODE]: mode, [HANDLER_ENV.LOCKOUT_MAX_FAILURES]: '50' };
    create = loadHandler('create-session', env);
    result = loadHandler('get-result', env);
  });

  it(`POST /sessions answers ${runs} arbitrary events well-formed, never 5xx`, async () => {
    create.rekognition
      .on(create.sdk.CreateFaceLivenessSessionCommand)
      .callsFake(async () => ({ SessionId: randomUUID() }));
    await fuzz(`create-session (${mode})`, event('createSession', mode), runs, async (e) => {
      const response = await create.handler(e, lambdaContext());
      assertWellFormed(e, response);
      if (response.statusCode === 201) {
        const owner = refOf(ownerOf(e.requestContext, mode));
        const { sessionId } = JSON.parse(response.body) as { sessionId: string };
        expect((await table.store.getSession(sessionId))?.owner).toBe(owner);
      }
      return response.statusCode;
    });
  });

  it(`GET /sessions/{id}/result answers ${runs} arbitrary events well-formed, and only the owner gets a result`, async () => {
    await fuzz(
      `get-result (${mode})`,
      fc.tuple(event('getResult', mode), rekognitionSession),
      runs,
      async ([e, session]) => {
        result.rekognition.reset();
        result.rekognition
          .on(result.sdk.GetFaceLivenessSessionResultsCommand)
          .callsFake(async (input: { SessionId: string }) => ({ ...session, SessionId: input.SessionId }));
        const response = await result.handler(e, lambdaContext());
        assertWellFormed(e, response);
        if (response.statusCode === 200) {
          const sessionId = e.pathParameters!.sessionId!;
          expect(JSON.parse(response.body)).toMatchObject({ sessionId });
          expect((await table.store.getSession(sessionId))?.owner).toBe(refOf(ownerOf(e.requestContext, mode)));
        }
        return response.statusCode;
      },
    );
  });
});
