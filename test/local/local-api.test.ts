import type { APIGatewayProxyEvent } from 'aws-lambda';
import { startLocalApi, type LocalApi, type ProxyHandler } from '../../local/api/server';

const ORIGIN = 'http://localhost:5173';

describe('local API', () => {
  let api: LocalApi;
  const seen: APIGatewayProxyEvent[] = [];
  const echo: ProxyHandler = async (event) => {
    seen.push(event);
    return {
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', 'X-Handler': 'yes' },
      body: JSON.stringify({ ok: true }),
    };
  };
  let createHandler: ProxyHandler = echo;

  beforeAll(async () => {
    api = await startLocalApi({
      handlers: { createSession: (e, c) => createHandler(e, c), getResult: echo },
      allowedOrigins: [ORIGIN],
      port: 0,
      stage: 'test',
    });
  });
  afterAll(() => api.close());
  beforeEach(() => {
    seen.length = 0;
    createHandler = echo;
  });

  it('listens on 127.0.0.1 only', () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('gives the handler an API Gateway proxy event with the path parameter decoded', async () => {
    // GIVEN a session id in the path and a query string
    const id = '0b9e1c2a-1111-4222-8333-444455556666';
    // WHEN
    const res = await fetch(`${api.url}/sessions/${id}/result?x=1`, { headers: { Origin: ORIGIN } });
    // THEN
    expect(res.status).toBe(200);
    expect(res.headers.get('x-handler')).toBe('yes');
    const event = seen[0]!;
    expect(event.httpMethod).toBe('GET');
    expect(event.resource).toBe('/sessions/{sessionId}/result');
    expect(event.pathParameters).toEqual({ sessionId: id });
    expect(event.queryStringParameters).toEqual({ x: '1' });
    expect(event.requestContext.stage).toBe('test');
    expect(event.requestContext.requestId).toBe(res.headers.get('x-amzn-requestid'));
    expect(event.headers.origin).toBe(ORIGIN);
    expect(event.body).toBeNull();
  });

  it('passes a JSON body through as text, not base64', async () => {
    await fetch(`${api.url}/sessions`, {
      method: 'POST',
      body: '{"challenge":"FaceMovementChallenge"}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(seen[0]!.body).toBe('{"challenge":"FaceMovementChallenge"}');
    expect(seen[0]!.isBase64Encoded).toBe(false);
  });

  it('base64-encodes a body that is not UTF-8, as API Gateway does for binary payloads', async () => {
    await fetch(`${api.url}/sessions`, { method: 'POST', body: new Uint8Array([0xff, 0xfe, 0x00]) });
    expect(seen[0]!.isBase64Encoded).toBe(true);
    expect(Buffer.from(seen[0]!.body!, 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00]));
  });

  it('answers an unknown path with 404 NOT_FOUND in the API error shape, with CORS headers', async () => {
    const res = await fetch(`${api.url}/nope`, { headers: { Origin: ORIGIN } });
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.requestId).toBe(res.headers.get('x-amzn-requestid'));
    expect(seen).toHaveLength(0);
  });

  it('answers a wrong method with 405 and the allowed methods', async () => {
    const res = await fetch(`${api.url}/sessions`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers a preflight from an allowed origin with the shared CORS headers', async () => {
    const res = await fetch(`${api.url}/sessions`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toContain('X-Amz-Security-Token');
  });

  it('gives a foreign origin no Access-Control-Allow-Origin', async () => {
    const res = await fetch(`${api.url}/sessions`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('answers a crashed handler with a 500 in the API error shape, no stack trace', async () => {
    createHandler = async () => {
      throw new Error('boom at /secret/path.ts:1');
    };
    const res = await fetch(`${api.url}/sessions`, { method: 'POST', headers: { Origin: ORIGIN } });
    expect(res.status).toBe(500);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const text = await res.text();
    expect(text).not.toContain('boom');
    expect(JSON.parse(text).error.code).toBe('INTERNAL_ERROR');
  });

  it("refuses a body over API Gateway's 10 MB limit with 413", async () => {
    const res = await fetch(`${api.url}/sessions`, { method: 'POST', body: new Uint8Array(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(seen).toHaveLength(0);
  });
});
