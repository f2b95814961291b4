/** The control endpoint's own URL (the one local mode's banner prints) lists its routes; a bodiless POST needs no type. */
import { request } from 'node:http';
import { CONTROL_ROUTES, startRekognitionEmulator, type RekognitionEmulator } from '../../local/emulators/rekognition';

let emulator: RekognitionEmulator;

beforeAll(async () => {
  emulator = await startRekognitionEmulator({ port: 0 });
});

afterAll(async () => {
  await emulator.close();
});

/** A raw request: fetch always sends a content type with a body and never lets a test leave Origin out by choice. */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${emulator.controlUrl}${path}`, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test.each([[''], ['/']])('GET /_emulator%s lists every control route, from the one route table', async (suffix) => {
  const { status, body } = await send('GET', suffix);

  expect(status).toBe(200);
  expect(body.routes).toEqual(
    CONTROL_ROUTES.map((r) => expect.objectContaining({ method: r.method, path: `/_emulator${r.path}`, does: r.does })),
  );
  expect(body.routes).toContainEqual(expect.objectContaining({ method: 'POST', path: '/_emulator/reset' }));
});

test('every listed route is answered (none is a 404 "no control route")', async () => {
  const { body } = await send('GET', '');
  for (const route of body.routes as { method: string; path: string }[]) {
    if (route.method !== 'GET') continue;
    const answer = await send('GET', route.path.slice('/_emulator'.length).replace('{id}', 'unknown'));
    expect(answer.body.error ?? '').not.toMatch(/No control route/);
  }
});

test('POST /_emulator/reset without a content type or body (curl -X POST) is accepted', async () => {
  const { status, body } = await send('POST', '/reset');
  expect({ status, body }).toEqual({ status: 200, body: { ok: true } });
});

test('a bodiless POST from a web page (Origin header) still needs JSON: a page can send it without a preflight', async () => {
  const { status } = await send('POST', '/reset', { origin: 'http://evil.example' });
  expect(status).toBe(415);
});

test('a POST with a body that is not JSON is still refused', async () => {
  const { status } = await send('POST', '/reset', { 'content-type': 'text/plain' }, '{}');
  expect(status).toBe(415);
});
