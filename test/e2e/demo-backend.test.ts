/**
 * The example app's demo app backend (local/web/demo-backend.ts) against the real local stack, no browser: it answers
 * only its own origin with JSON (CSRF-safe), decides the subject and the photo itself, returns only the token, and the
 * token gives the outcome of the photo it chose. Part of the normal `npm test`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FinishedResult } from '../../contract/api-types';
import { DEMO_SUBJECT } from '../../local/web/demo-backend';
import { LOCAL_REGION, startLocalBackend, type LocalBackend } from '../../local/stack';
import { localConfig } from '../../local/web/config-file';
import { startWebServer, type WebServer } from '../../local/web/server';
import { newLocalCaller, type LocalCaller } from '../support/local-identity';

let stack: LocalBackend;
let web: WebServer;
let browser: LocalCaller;
let url: string;

beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'demo-backend-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  stack = await startLocalBackend({
    apiPort: 0,
    emulatorPort: 0,
    honourEnvironment: false,
    settings: { lockoutMaxFailures: 0 },
  });
  web = await startWebServer({
    distDir: dist,
    port: 0,
    demoBackend: { apiUrl: stack.api.url, region: LOCAL_REGION },
    config: () =>
      localConfig({
        apiUrl: stack.api.url,
        region: LOCAL_REGION,
        identityPoolId: stack.identity.pool.identityPoolId,
        cognitoIdentityEndpoint: stack.identity.url,
        demoBackend: 'demo-backend/',
      }),
  });
  url = `${web.url}/demo-backend/identity-checks`;
  browser = newLocalCaller(stack);
});
afterAll(async () => {
  await web?.close();
  await stack?.close();
});
beforeEach(() => {
  stack.emulator.reset();
  stack.emulator.defaults.set({ startAfterMs: 10, completeAfterMs: 40 });
});

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: web.url, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function token(body: unknown): Promise<string> {
  const response = await post(body);
  const json = (await response.json()) as Record<string, unknown>;
  expect({ status: response.status, keys: Object.keys(json) }).toEqual({ status: 201, keys: ['checkToken'] });
  return json['checkToken'] as string;
}

/** The browser's part: a session carrying only the token. */
async function session(checkToken: string): Promise<FinishedResult> {
  const created = await browser.client.createSession({ identityCheck: checkToken });
  return (await browser.client.waitForResult(created.sessionId)) as FinishedResult;
}

describe('only the app itself may ask', () => {
  test.each<[string, Record<string, string>, number]>([
    ['no Origin', { Origin: '' }, 403],
    ['another site', { Origin: 'https://evil.example' }, 403],
    ['another local port', { Origin: 'http://127.0.0.1:1' }, 403],
    ['a cross-site fetch', { 'Sec-Fetch-Site': 'cross-site' }, 403],
    ['a form post (no preflight)', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415],
    ['text/plain', { 'Content-Type': 'text/plain' }, 415],
  ])('%s is refused', async (_name, headers, status) => {
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(headers['Origin'] === '' ? {} : { Origin: web.url }),
        ...clean,
      },
      body: JSON.stringify({ flow: 'id-photo' }),
    });
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  test('another Host (a DNS-rebound name) is refused', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ flow: 'enrol' });
      const req = request(
        url,
        {
          method: 'POST',
          headers: { Host: 'attacker.example', Origin: web.url, 'Content-Type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    // The loopback server refuses any other Host before the demo backend sees it.
    expect(status).toBe(421);
  });

  test('the localhost spelling of the app origin is the app too', async () => {
    const localhost = web.url.replace('127.0.0.1', 'localhost');
    const response = await post({ flow: 'enrol' }, { Origin: localhost });
    expect(response.status).toBe(201);
  });

  test('GET is not a way to open a check', async () => {
    const response = await fetch(url, { headers: { Origin: web.url } });
    expect(response.status).toBe(405);
  });
});

describe('the browser cannot choose the subject or the photo', () => {
  test.each([
    [{ flow: 'id-photo', subject: 'someone-else' }, /Unknown field subject/],
    [{ flow: 'id-photo', referencePhoto: { bytes: 'AAAA' } }, /Unknown field referencePhoto/],
    [{ flow: 'enrol', method: 'enrolled' }, /Unknown field method/],
    [{ flow: 'verify', person: 'p2' }, /person is only for the id-photo flow/],
    [{ flow: 'id-photo', person: 'p7' }, /person must be one of p1, p2, none, two/],
    [{ flow: 'delete-everything' }, /flow must be one of/],
    ['not json', /not JSON/],
    [[1], /JSON object/],
  ])('%j is a 400 naming the problem', async (body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  test('an oversized body is a 413', async () => {
    const response = await post({ flow: 'enrol', pad: 'x'.repeat(2000) });
    expect(response.status).toBe(413);
  });
});

describe('the token carries what the demo backend chose', () => {
  test('ID photo of the person in front of the camera (p1): matched, for the demo user', async () => {
    const result = await session(await token({ flow: 'id-photo', person: 'p1' }));
    expect(result).toMatchObject({
      isLive: true,
      identity: { method: 'reference', subject: DEMO_SUBJECT, matched: true, threshold: 99 },
    });
    expect(result.identity).not.toHaveProperty('similarity');
  });

  test.each([
    ['p2', 'BELOW_THRESHOLD'],
    ['none', 'NO_FACE_IN_REFERENCE'],
    ['two', 'MULTIPLE_FACES'],
  ])('ID photo %s: not matched, %s', async (person, reason) => {
    const result = await session(await token({ flow: 'id-photo', person }));
    expect(result.identity).toMatchObject({ method: 'reference', matched: false, reason });
  });

  test('enrol, then verify: matched; the token is single-use', async () => {
    const enrolToken = await token({ flow: 'enrol' });
    expect((await session(enrolToken)).identity).toMatchObject({ method: 'enrol', matched: true });
    expect((await session(await token({ flow: 'verify' }))).identity).toMatchObject({
      method: 'enrolled',
      subject: DEMO_SUBJECT,
      matched: true,
    });
    await expect(browser.client.createSession({ identityCheck: enrolToken })).rejects.toMatchObject({
      code: 'IDENTITY_CHECK_INVALID',
    });
  });

  test('the page can show the ID photo each choice stands for, and nothing else', async () => {
    const photo = await fetch(`${web.url}/demo-backend/id-photos/p2.jpg`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect([...new Uint8Array(await photo.arrayBuffer()).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect((await fetch(`${web.url}/demo-backend/id-photos/p7.jpg`)).status).toBe(404);
    expect((await fetch(`${web.url}/demo-backend/other`)).status).toBe(404);
  });

  test('the config tells the app where its demo backend is', async () => {
    const config = (await (await fetch(`${web.url}/liveness-config.json`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ local: true, demoBackend: 'demo-backend/' });
  });
});
