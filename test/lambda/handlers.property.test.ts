/**
 * Property tests over the wired handlers: whatever a caller sends, the answer is a well-formed success or an error
 * from the shared table, never an unhandled throw and never a 5xx while Rekognition is healthy.
 */
import fc from 'fast-check';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../../contract/error-codes';
import { CHALLENGE_TYPES, SESSION_STATUSES } from '../../contract/liveness-model';
import { ALLOWED_ORIGIN, SESSION_ID, createSessionEvent, getResultEvent, lambdaContext } from '../support/api-event';
import { captureOutput, type CapturedOutput } from '../support/capture-output';
import { loadHandler, type HttpResponse, type LoadedHandler } from '../support/load-handler';
import { reseedSession, startTestTable, type TestTable } from '../support/session-table';

const RUNS = { numRuns: 300, interruptAfterTimeLimit: 20_000 };

let output: CapturedOutput;
let table: TestTable;
beforeAll(async () => {
  table = await startTestTable();
  await reseedSession(table, SESSION_ID);
});
afterAll(() => table.close());
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => output.restore());

const headerValue = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'text/plain',
    '',
    'application/jsonx',
  ),
  fc.string({ maxLength: 40 }),
);
const headers = fc.option(
  fc.dictionary(
    fc.oneof(
      fc.constantFrom('Content-Type', 'content-type', 'Origin', 'origin', 'Accept'),
      fc.string({ minLength: 1, maxLength: 20 }),
    ),
    fc.oneof(headerValue, fc.constant(ALLOWED_ORIGIN)),
    { maxKeys: 5 },
  ),
  { nil: null },
);
const nearlyValidBody = fc.record(
  {
    clientRequestToken: fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.stringMatching(/^[a-zA-Z0-9_-]{1,64}$/),
      fc.integer(),
    ),
    auditImagesLimit: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.double(), fc.string({ maxLength: 3 })),
    challenge: fc.oneof(fc.constantFrom(...CHALLENGE_TYPES), fc.string({ maxLength: 30 })),
    other: fc.anything(),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  nearlyValidBody.map((b) => JSON.stringify(b)),
  fc.string({ minLength: 1100, maxLength: 1300 }),
);

function assertWellFormed(response: HttpResponse, successStatus: number): void {
  expect(response.headers['Content-Type']).toBe('application/json');
  expect(response.headers['Cache-Control']).toBe('no-store');
  const parsed = JSON.parse(response.body) as Partial<ErrorBody> & { sessionId?: unknown };
  if (response.statusCode === successStatus) {
    expect(parsed.sessionId).toBe(SESSION_ID);
    return;
  }
  const code = parsed.error?.code as ErrorCode;
  expect(Object.keys(ERROR_CODES)).toContain(code);
  expect(ERROR_CODES[code].status).toBe(response.statusCode);
  expect(typeof parsed.error?.message).toBe('string');
  expect(response.body).not.toMatch(/\n\s+at /);
}

describe('create-session', () => {
  let loaded: LoadedHandler;
  beforeAll(() => {
    loaded = loadHandler('create-session', table.env);
  });
  beforeEach(() => {
    loaded.rekognition.reset();
    loaded.rekognition.on(loaded.sdk.CreateFaceLivenessSessionCommand).resolves({ SessionId: SESSION_ID });
  });

  it('answers any body and headers with a success or a 4xx from the table', async () => {
    await fc.assert(
      fc.asyncProperty(headers, body, fc.boolean(), async (h, b, base64) => {
        // Prepare
        const event: APIGatewayProxyEvent = createSessionEvent(undefined, {
          headers: h,
          body: base64 && b !== null ? Buffer.from(b).toString('base64') : b,
          isBase64Encoded: base64,
        });

        // Act
        const response = await loaded.handler(event, lambdaContext());

        // Assess
        expect(response.statusCode).toBeLessThan(500);
        assertWellFormed(response, 201);
      }),
      RUNS,
    );
  });

  it('answers any AWS failure with a code from the table and no raw AWS text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(
            'ThrottlingException',
            'AccessDeniedException',
            'InternalServerError',
            'TimeoutError',
            'SessionNotFoundException',
          ),
          fc.string({ maxLength: 40 }),
        ),
        fc.string({ maxLength: 60 }),
        async (name, message) => {
          // Prepare
          const marker = `LEAK-${message}-LEAK`;
          loaded.rekognition.reset();
          loaded.rekognition
            .on(loaded.sdk.CreateFaceLivenessSessionCommand)
            .rejects(Object.assign(new Error(marker), { name }));

          // Act
          const response = await loaded.handler(createSessionEvent({}), lambdaContext());

          // Assess
          assertWellFormed(response, 201);
          expect(response.body).not.toContain(marker);
        },
      ),
      RUNS,
    );
  });
});

describe('get-result', () => {
  let loaded: LoadedHandler;
  beforeAll(() => {
    loaded = loadHandler('get-result', table.env);
  });
  beforeEach(() => loaded.rekognition.reset());

  const pathParameters = fc.oneof(
    fc.constant(null),
    fc.constant({ sessionId: SESSION_ID }),
    fc.uuid().map((sessionId) => ({ sessionId })),
    fc.record({ sessionId: fc.string({ maxLength: 50 }) }),
    fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })),
  );
  const image = fc.option(
    fc.record(
      {
        Bytes: fc.uint8Array({ maxLength: 8 }),
        BoundingBox: fc.record(
          {
            Width: fc.double({ noNaN: true }),
            Height: fc.double({ noNaN: true }),
            Left: fc.double({ noNaN: true }),
            Top: fc.double({ noNaN: true }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  );
  const session = fc.record({
    Status: fc.constantFrom(...SESSION_STATUSES),
    Confidence: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    ReferenceImage: image,
    Feedback: fc.option(
      fc.array(
        fc.record({ Code: fc.string({ maxLength: 30 }) as fc.Arbitrary<never>, Message: fc.string({ maxLength: 10 }) }),
        { maxLength: 10 },
      ),
      { nil: undefined },
    ),
  });

  it('answers any path parameters, headers and session state with a success or a 4xx from the table', async () => {
    await fc.assert(
      fc.asyncProperty(pathParameters, headers, session, async (params, h, s) => {
        // Prepare
        loaded.rekognition.reset();
        loaded.rekognition
          .on(loaded.sdk.GetFaceLivenessSessionResultsCommand)
          .callsFake(async (input: { SessionId: string }) => ({ ...s, SessionId: input.SessionId }));
        const event = getResultEvent(SESSION_ID, { pathParameters: params, headers: h });

        // Act
        const response = await loaded.handler(event, lambdaContext());

        // Assess
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode === 200) {
          const result = JSON.parse(response.body) as { sessionId: string; done: boolean; isLive?: boolean };
          expect(result.sessionId).toBe((params as { sessionId: string }).sessionId);
          expect(typeof result.done).toBe('boolean');
          expect(response.body).not.toMatch(/confidence|boundingBox|base64/);
        } else {
          assertWellFormed(response, 200);
        }
      }),
      RUNS,
    );
  });
});
