/** X-Ray subsegments for the handlers' SDK calls: what is sent, when, and that it carries no request data. */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { CreateFaceLivenessSessionCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { createDynamoDBClient, createRekognitionClient } from '../../lambda/shared/clients';
import { parseConfig } from '../../lambda/shared/config';
import { daemonAddressOf, traceClient, traceContextOf } from '../../lambda/shared/tracing';
import { startServer, type TestServer } from '../client/support/http-server';

const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const SESSION_ID = '0f0e0d0c-0b0a-4908-8706-050403020100';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

let server: TestServer;
let reply: { status: number; body: string };

beforeAll(async () => {
  server = await startServer(() => ({
    status: reply.status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' },
    body: reply.body,
  }));
});
afterAll(() => server.close());
beforeEach(() => {
  reply = { status: 200, body: JSON.stringify({ SessionId: SESSION_ID }) };
});

function tracedClient(env: Record<string, string | undefined>, sent: string[]): RekognitionClient {
  const client = new RekognitionClient({
    region: 'eu-west-1',
    endpoint: server.origin,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  let t = 1_700_000_000_000;
  return traceClient(client, 'Rekognition', 'eu-west-1', {
    env,
    send: (datagram) => sent.push(datagram),
    now: () => (t += 25),
  });
}

const LAMBDA_ENV = { AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000', _X_AMZN_TRACE_ID: TRACE };

describe('traceClient', () => {
  it('sends one subsegment per call, under the function segment, with service, operation and status only', async () => {
    // Arrange
    const sent: string[] = [];
    const client = tracedClient(LAMBDA_ENV, sent);

    // Act
    await client.send(new CreateFaceLivenessSessionCommand({ ClientRequestToken: 'token-not-to-be-traced' }));

    // Assess
    expect(sent).toHaveLength(1);
    const [header, body] = sent[0]!.split('\n');
    expect(JSON.parse(header!)).toEqual({ format: 'json', version: 1 });
    expect(JSON.parse(body!)).toMatchObject({
      name: 'Rekognition',
      type: 'subsegment',
      namespace: 'aws',
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      parent_id: '53995c3f42cd8ad8',
      start_time: 1_700_000_000.025,
      end_time: 1_700_000_000.05,
      aws: { operation: 'CreateFaceLivenessSession', region: 'eu-west-1', request_id: 'req-1', retries: 0 },
      http: { response: { status: 200 } },
    });
    expect(JSON.parse(body!).id).toMatch(/^[0-9a-f]{16}$/);
    expect(sent[0]).not.toContain('token-not-to-be-traced');
    expect(sent[0]).not.toContain(SESSION_ID);
  });

  it('marks a failed call as a fault or error, naming the exception, and still throws it', async () => {
    // Arrange
    const sent: string[] = [];
    const client = tracedClient(LAMBDA_ENV, sent);
    reply = { status: 400, body: JSON.stringify({ __type: 'InvalidParameterException', Message: 'bad' }) };

    // Act
    const call = client.send(new CreateFaceLivenessSessionCommand({}));

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const doc = JSON.parse(sent[0]!.split('\n')[1]!);
    expect(doc).toMatchObject({
      error: true,
      http: { response: { status: 400 } },
      cause: { exceptions: [{ type: 'InvalidParameterException', remote: true }] },
    });
    expect(doc.fault).toBeUndefined();
  });

  it.each([
    ['outside Lambda', {}],
    ['an unsampled invocation', { ...LAMBDA_ENV, _X_AMZN_TRACE_ID: TRACE.replace('Sampled=1', 'Sampled=0') }],
    ['no daemon', { _X_AMZN_TRACE_ID: TRACE }],
  ])('sends nothing %s', async (_, env) => {
    // Arrange
    const sent: string[] = [];
    const client = tracedClient(env, sent);

    // Act
    await client.send(new CreateFaceLivenessSessionCommand({}));

    // Assess
    expect(sent).toEqual([]);
  });

  it('a send that throws never fails the call', async () => {
    // Arrange
    const client = new RekognitionClient({ region: 'eu-west-1', endpoint: server.origin, credentials: CREDENTIALS });
    traceClient(client, 'Rekognition', 'eu-west-1', {
      env: LAMBDA_ENV,
      send: () => {
        throw new Error('socket closed');
      },
    });

    // Act / Assess
    await expect(client.send(new CreateFaceLivenessSessionCommand({}))).resolves.toMatchObject({
      SessionId: SESSION_ID,
    });
  });

  it('reaches a daemon over UDP', async () => {
    // Arrange
    const daemon = createSocket('udp4');
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const received = new Promise<string>((resolve) => daemon.once('message', (m) => resolve(m.toString())));
    const { port } = daemon.address() as AddressInfo;
    const client = new RekognitionClient({ region: 'eu-west-1', endpoint: server.origin, credentials: CREDENTIALS });
    traceClient(client, 'Rekognition', 'eu-west-1', {
      env: { AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`, _X_AMZN_TRACE_ID: TRACE },
    });

    try {
      // Act
      await client.send(new CreateFaceLivenessSessionCommand({}));

      // Assess
      expect(await received).toMatch(/^\{"format":"json","version":1\}\n\{"name":"Rekognition"/);
    } finally {
      daemon.close();
    }
  });
});

describe("the handlers' clients", () => {
  it.each([
    [true, true],
    [false, false],
  ])('are traced when traceAwsCalls is %s: %s', (traceAwsCalls, traced) => {
    // Arrange
    const state = parseConfig({
      AWS_REGION: 'eu-west-1',
      ALLOWED_ORIGINS: 'https://app.example.com',
      CONFIDENCE_THRESHOLD: '80',
      AUTH_MODE: 'iam',
      SESSION_TABLE_NAME: 'sessions',
      TRACE_AWS_CALLS: String(traceAwsCalls),
    });
    if (!state.ok) throw new Error(state.problems.join('; '));

    // Act
    const clients = [createRekognitionClient(state.config), createDynamoDBClient(state.config)];

    // Assess
    for (const client of clients)
      expect(client.middlewareStack.identify().some((m) => m.startsWith('xrayTracing'))).toBe(traced);
  });
});

describe('trace and daemon parsing', () => {
  it.each([
    [TRACE, { traceId: '1-5759e988-bd862e3fe1be46a994272793', parentId: '53995c3f42cd8ad8' }],
    [`${TRACE};Lineage=a87bd80c:0`, { traceId: '1-5759e988-bd862e3fe1be46a994272793', parentId: '53995c3f42cd8ad8' }],
    ['Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0', undefined],
    ['garbage', undefined],
    [undefined, undefined],
  ])('traceContextOf(%s)', (header, expected) => {
    expect(traceContextOf(header)).toEqual(expected);
  });

  it.each([
    ['169.254.79.129:2000', { host: '169.254.79.129', port: 2000 }],
    ['tcp:127.0.0.1:2000 udp:127.0.0.2:2001', { host: '127.0.0.2', port: 2001 }],
    ['', undefined],
    [undefined, undefined],
  ])('daemonAddressOf(%s)', (value, expected) => {
    expect(daemonAddressOf(value)).toEqual(expected);
  });
});
