/**
 * The real SDK clients against a local HTTP server on 127.0.0.1 (local mode's REKOGNITION_ENDPOINT): proves the
 * endpoint, timeout, retry settings and the by-name error mapping with the SDK's own deserialisation.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FinishedResult } from '../../contract/api-types';
import type { ErrorBody } from '../../contract/error-codes';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { SESSION_ID, createSessionEvent, getResultEvent, lambdaContext } from '../support/api-event';
import { captureOutput, type CapturedOutput } from '../support/capture-output';
import { loadHandler } from '../support/load-handler';
import { reseedSession, startTestTable, type TestTable } from '../support/session-table';

type Reply = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let endpoint: string;
let replies: Reply[];
let targets: string[];
let output: CapturedOutput;
let table: TestTable;

const json =
  (status: number, body: unknown): Reply =>
  (_, res) => {
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
  };
const hang: Reply = () => undefined;

beforeAll(async () => {
  table = await startTestTable();
  server = createServer((req, res) => {
    targets.push(String(req.headers['x-amz-target']));
    req.resume();
    req.on('end', () =>
      (replies.shift() ?? json(500, { __type: 'InternalServerError', Message: 'no reply queued' }))(req, res),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await table.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  await reseedSession(table, SESSION_ID);
  replies = [];
  targets = [];
  output = captureOutput();
});
afterEach(() => {
  output.restore();
  server.closeAllConnections();
});

const errorCode = (body: string) => (JSON.parse(body) as ErrorBody).error.code;

describe('create-session against a local endpoint', () => {
  const load = (env: Record<string, string> = {}) =>
    loadHandler(
      'create-session',
      { ...table.env, [HANDLER_ENV.REKOGNITION_ENDPOINT]: endpoint, [HANDLER_ENV.SDK_MAX_ATTEMPTS]: '1', ...env },
      { mock: false },
    );

  it('sends CreateFaceLivenessSession to the configured endpoint', async () => {
    // Prepare
    const { handler } = load();
    replies.push(json(200, { SessionId: SESSION_ID }));

    // Act
    const response = await handler(createSessionEvent(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(201);
    expect(targets).toEqual(['RekognitionService.CreateFaceLivenessSession']);
  });

  it('answers 504 UPSTREAM_TIMEOUT when the service does not answer within SDK_TIMEOUT_MS', async () => {
    // Prepare
    const { handler } = load({ [HANDLER_ENV.SDK_TIMEOUT_MS]: '150' });
    replies.push(hang);
    const started = Date.now();

    // Act
    const response = await handler(createSessionEvent(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(504);
    expect(errorCode(response.body)).toBe('UPSTREAM_TIMEOUT');
    expect(response.headers['Retry-After']).toBe('1');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('maps a namespaced __type from the wire by name', async () => {
    // Prepare
    const { handler } = load();
    replies.push(
      json(400, {
        __type: 'com.amazonaws.rekognition#ProvisionedThroughputExceededException',
        Message: 'Rate exceeded',
      }),
    );

    // Act
    const response = await handler(createSessionEvent(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(429);
    expect(errorCode(response.body)).toBe('THROTTLED');
  });

  it('retries a transient failure when SDK_MAX_ATTEMPTS allows it', async () => {
    // Prepare
    const { handler } = load({ [HANDLER_ENV.SDK_MAX_ATTEMPTS]: '2' });
    replies.push(json(500, { __type: 'InternalServerError', Message: 'oops' }), json(200, { SessionId: SESSION_ID }));

    // Act
    const response = await handler(createSessionEvent(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(201);
    expect(targets).toHaveLength(2);
  });
});

describe('get-result against a local endpoint', () => {
  it('maps SessionNotFoundException from the wire to 404', async () => {
    // Prepare
    const { handler } = loadHandler(
      'get-result',
      { ...table.env, [HANDLER_ENV.REKOGNITION_ENDPOINT]: endpoint, [HANDLER_ENV.SDK_MAX_ATTEMPTS]: '1' },
      { mock: false },
    );
    replies.push(json(400, { __type: 'SessionNotFoundException', Message: 'Session not found' }));

    // Act
    const response = await handler(getResultEvent(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(404);
    expect(errorCode(response.body)).toBe('SESSION_NOT_FOUND');
  });

  it('keeps a truncated response, and the biometric data in it, out of the answer and the logs', async () => {
    // Prepare
    const { handler } = loadHandler(
      'get-result',
      { ...table.env, [HANDLER_ENV.REKOGNITION_ENDPOINT]: endpoint, [HANDLER_ENV.SDK_MAX_ATTEMPTS]: '1' },
      { mock: false },
    );
    const bytes = Buffer.from('FAKE-JPEG-bytes-that-must-never-be-logged').toString('base64');
    const truncated = `{"SessionId":"${SESSION_ID}","Status":"SUCCEEDED","Confidence":97.4561234,"ReferenceImage":{"Bytes":"${bytes}"`;
    replies.push((_, res) => res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' }).end(truncated));

    // Act
    const response = await handler(getResultEvent(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(500);
    expect(errorCode(response.body)).toBe('INTERNAL_ERROR');
    for (const text of [response.body, output.text()]) {
      expect(text).not.toContain('97.456');
      expect(text).not.toContain(bytes.slice(0, 16));
    }
    expect(output.records()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', code: 'INTERNAL_ERROR', sessionId: SESSION_ID }),
    );
  });

  it('presigns path-style URLs on the local S3 endpoint', async () => {
    // Prepare
    const { handler } = loadHandler(
      'get-result',
      {
        ...table.env,
        [HANDLER_ENV.REKOGNITION_ENDPOINT]: endpoint,
        [HANDLER_ENV.S3_ENDPOINT]: 'http://127.0.0.1:9000',
        [HANDLER_ENV.IMAGE_BUCKET]: 'local-images',
        [HANDLER_ENV.EXPOSE_DETAILS]: 'true',
      },
      { mock: false },
    );
    replies.push(
      json(200, {
        SessionId: SESSION_ID,
        Status: 'SUCCEEDED',
        Confidence: 95,
        Challenge: { Type: 'FaceMovementAndLightChallenge', Version: '1.0.0' },
        ReferenceImage: { S3Object: { Bucket: 'local-images', Name: `${SESSION_ID}/reference.jpg` } },
      }),
    );

    // Act
    const response = await handler(getResultEvent(), lambdaContext());

    // Assess
    const url = new URL((JSON.parse(response.body) as FinishedResult).details!.referenceImage!.url!);
    expect(url.origin).toBe('http://127.0.0.1:9000');
    expect(url.pathname).toBe(`/local-images/${SESSION_ID}/reference.jpg`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
  });
});
