import {
  AccessDeniedException,
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { startRekognitionEmulator, type RekognitionEmulator } from '../../local/emulators/rekognition';
import { errorOf, rawAwsCall, rekognitionClient } from './support';

const CREATE = 'RekognitionService.CreateFaceLivenessSession';

describe('Rekognition emulator: AWS JSON 1.1 protocol', () => {
  let emulator: RekognitionEmulator;
  let client: RekognitionClient;

  beforeAll(async () => {
    emulator = await startRekognitionEmulator();
    client = rekognitionClient(emulator.url);
  });

  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  it('serves the real RekognitionClient on a random loopback port', async () => {
    // WHEN
    const created = await client.send(new CreateFaceLivenessSessionCommand({}));
    const result = await client.send(new GetFaceLivenessSessionResultsCommand({ SessionId: created.SessionId }));

    // THEN
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(created.SessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(result.SessionId).toBe(created.SessionId);
    expect(result.Status).toBe('CREATED');
    expect(created.$metadata.httpStatusCode).toBe(200);
    expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers with the AWS JSON content type and an error body with __type and Message', async () => {
    // WHEN
    const res = await rawAwsCall(emulator.url, {
      target: 'RekognitionService.GetFaceLivenessSessionResults',
      body: '{"SessionId":"00000000-0000-4000-8000-000000000000"}',
    });

    // THEN
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-errortype')).toBe('SessionNotFoundException');
    expect(res.body).toEqual({ __type: 'SessionNotFoundException', Message: expect.stringContaining('not found') });
  });

  it.each([
    ['an unknown operation', { target: 'RekognitionService.DetectLabels' }],
    ['another service prefix', { target: 'DynamoDB_20120810.CreateFaceLivenessSession' }],
    ['no X-Amz-Target', {}],
    ['another content type', { target: CREATE, contentType: 'application/json' }],
  ])('answers UnknownOperationException (400) for %s', async (_, options) => {
    // WHEN
    const res = await rawAwsCall(emulator.url, options);

    // THEN
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe('UnknownOperationException');
  });

  it('answers UnknownOperationException for other paths and methods', async () => {
    // WHEN
    const res = await fetch(`${emulator.url}/some/path`);

    // THEN
    expect(res.status).toBe(400);
    expect((await res.json()).__type).toBe('UnknownOperationException');
  });

  it('answers MissingAuthenticationTokenException without an Authorization header', async () => {
    // WHEN
    const res = await rawAwsCall(emulator.url, { target: CREATE, unsigned: true });

    // THEN
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      __type: 'MissingAuthenticationTokenException',
      Message: 'Missing Authentication Token',
    });
  });

  it('answers IncompleteSignatureException for an Authorization header that is not SigV4', async () => {
    // WHEN
    const res = await rawAwsCall(emulator.url, {
      target: CREATE,
      unsigned: true,
      headers: { authorization: 'Bearer abc', 'x-amz-date': '20261121T120000Z' },
    });

    // THEN
    expect(res.body.__type).toBe('IncompleteSignatureException');
  });

  it('answers InvalidSignatureException when the credential scope names another service', async () => {
    // WHEN
    const res = await rawAwsCall(emulator.url, {
      target: CREATE,
      unsigned: true,
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=test/20261121/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`,
        'x-amz-date': '20261121T120000Z',
      },
    });

    // THEN
    expect(res.body.__type).toBe('InvalidSignatureException');
  });

  it('raises AccessDeniedException for a region without Face Liveness, as AWS does', async () => {
    // GIVEN
    const frankfurt = rekognitionClient(emulator.url, 'eu-central-1');

    // WHEN
    const err = await errorOf(frankfurt.send(new CreateFaceLivenessSessionCommand({})));
    frankfurt.destroy();

    // THEN
    expect(err).toBeInstanceOf(AccessDeniedException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.$fault).toBe('client');
    expect(err.message).toMatch(/eu-central-1/);
  });

  it('accepts every Face Liveness region', async () => {
    for (const region of [
      'us-west-2',
      'eu-west-1',
      'ap-northeast-1',
      'ap-south-1',
      'ap-southeast-5',
      'ap-southeast-7',
      'sa-east-1',
    ]) {
      const regional = rekognitionClient(emulator.url, region);
      await expect(regional.send(new CreateFaceLivenessSessionCommand({}))).resolves.toHaveProperty('SessionId');
      regional.destroy();
    }
  });

  it.each([
    ['malformed JSON', '{"ClientRequestToken":'],
    ['a JSON array', '[]'],
    ['a member of the wrong JSON type', '{"ClientRequestToken": 5}'],
    ['a nested member of the wrong JSON type', '{"Settings": {"AuditImagesLimit": "2"}}'],
  ])('answers SerializationException (400) for %s', async (_, body) => {
    // WHEN
    const res = await rawAwsCall(emulator.url, { target: CREATE, body });

    // THEN
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe('SerializationException');
  });

  it('accepts unsigned calls when started with requireSignature: false', async () => {
    // GIVEN
    const unsigned = await startRekognitionEmulator({ requireSignature: false });

    // WHEN
    const res = await rawAwsCall(unsigned.url, { target: CREATE, unsigned: true });
    await unsigned.close();

    // THEN
    expect(res.status).toBe(200);
  });

  it('treats an empty body as an empty request', async () => {
    // WHEN
    const res = await rawAwsCall(emulator.url, { target: CREATE, body: '' });

    // THEN
    expect(res.status).toBe(200);
    expect(res.body.SessionId).toBeDefined();
  });

  it('refuses to bind a non-loopback address', async () => {
    await expect(startRekognitionEmulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('releases its port on close, and close() is idempotent', async () => {
    // GIVEN
    const other = await startRekognitionEmulator();

    // WHEN
    await other.close();

    // THEN
    await expect(fetch(`${other.url}/_emulator/health`)).rejects.toThrow();
    await expect(other.close()).resolves.toBeUndefined();
  });
});
