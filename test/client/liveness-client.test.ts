import {
  createLivenessClient,
  LivenessApiError,
  LivenessNetworkError,
  LivenessResponseError,
  LivenessTimeoutError,
  LivenessValidationError,
  type PollEvent,
} from '../../client';
import { SESSION_TTL_SECONDS } from '../../contract/liveness-model';
import { startServer } from './support/http-server';
import { fakeClock } from './support/fake-clock';
import {
  apiError,
  live,
  notLive,
  pending,
  raw,
  startFakeLivenessApi,
  type FakeLivenessApi,
} from './support/fake-liveness-api';

let api: FakeLivenessApi;

beforeEach(async () => {
  api = await startFakeLivenessApi();
});

afterEach(async () => {
  await api.close();
});

const resultRequests = (): number => api.requests.filter((r) => r.url.endsWith('/result')).length;

describe('createSession', () => {
  test('POSTs the options as JSON under the stage and returns the created session', async () => {
    // GIVEN
    const client = createLivenessClient({ apiUrl: api.url });

    // WHEN
    const created = await client.createSession({ challenge: 'FaceMovementChallenge', auditImagesLimit: 2 });

    // THEN
    expect(created).toEqual({
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      region: 'us-east-1',
      expiresAt: expect.any(String),
    });
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/sessions' });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ challenge: 'FaceMovementChallenge', auditImagesLimit: 2 });
  });

  test('keeps the stage whether or not the API URL ends with a slash', async () => {
    const withoutSlash = createLivenessClient({ apiUrl: api.url.replace(/\/$/, '') });
    expect(withoutSlash.apiUrl).toBe(api.url);
    await withoutSlash.createSession();
    expect(api.requests[0]!.url).toBe('/v1/sessions');
  });

  test.each([
    [{ clientRequestToken: 'has spaces' }, 'clientRequestToken'],
    [{ clientRequestToken: 'x'.repeat(65) }, 'clientRequestToken'],
    [{ auditImagesLimit: 5 }, 'auditImagesLimit'],
    [{ auditImagesLimit: 1.5 }, 'auditImagesLimit'],
    [{ challenge: 'Smile' as never }, 'challenge'],
  ])('rejects %p before sending anything', async (request, field) => {
    const client = createLivenessClient({ apiUrl: api.url });
    await expect(client.createSession(request)).rejects.toMatchObject({ name: 'LivenessValidationError', field });
    expect(api.requests).toHaveLength(0);
  });

  test('an API error becomes a LivenessApiError with the body and headers of the answer', async () => {
    api.createSteps.push(apiError('THROTTLED', 3, 'Slow down.'));
    const client = createLivenessClient({ apiUrl: api.url });

    const error = await client.createSession().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LivenessApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'THROTTLED',
      message: 'Slow down.',
      requestId: expect.stringMatching(/^req-/),
      retryable: true,
      retryAfterSeconds: 3,
    });
  });

  test('an unreachable API is a LivenessNetworkError, not a crash', async () => {
    await api.close();
    const client = createLivenessClient({ apiUrl: api.url });
    await expect(client.createSession()).rejects.toBeInstanceOf(LivenessNetworkError);
    api = await startFakeLivenessApi(); // for afterEach
  });

  test.each(['ftp://example.com/', 'not a url', 'https://x.example/v1?stage=1'])('rejects the API URL %p', (apiUrl) => {
    expect(() => createLivenessClient({ apiUrl })).toThrow(LivenessValidationError);
  });
});

describe('getResult', () => {
  test('returns a pending result as it is', async () => {
    const sessionId = api.addSession([pending(1, 'CREATED')]);
    const client = createLivenessClient({ apiUrl: api.url });
    await expect(client.getResult(sessionId)).resolves.toEqual({ sessionId, status: 'CREATED', done: false });
    expect(api.requests[0]).toMatchObject({ method: 'GET', url: `/v1/sessions/${sessionId}/result` });
  });

  test('returns a finished result with the server verdict and feedback', async () => {
    const sessionId = api.addSession([notLive()]);
    const client = createLivenessClient({ apiUrl: api.url });
    await expect(client.getResult(sessionId)).resolves.toMatchObject({
      done: true,
      isLive: false,
      reason: 'LOW_CONFIDENCE',
      feedback: ['LOW_LIGHTING_DETECTED'],
    });
  });

  test.each([
    '',
    'abc',
    '../../sessions',
    'AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA',
    `${'a'.repeat(8)}-aaaa-aaaa-aaaa-${'a'.repeat(12)}/x`,
  ])('rejects the session id %p without a request', async (sessionId) => {
    const client = createLivenessClient({ apiUrl: api.url });
    await expect(client.getResult(sessionId)).rejects.toMatchObject({
      name: 'LivenessValidationError',
      field: 'sessionId',
    });
    await expect(client.waitForResult(sessionId)).rejects.toBeInstanceOf(LivenessValidationError);
    expect(api.requests).toHaveLength(0);
  });

  test('an unknown session is a non-retryable SESSION_NOT_FOUND', async () => {
    const client = createLivenessClient({ apiUrl: api.url });
    await expect(client.getResult('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      status: 404,
      code: 'SESSION_NOT_FOUND',
      retryable: false,
    });
  });

  test.each([
    [
      'HTML from a proxy',
      raw(502, '<html><body>Bad Gateway</body></html>', { 'Content-Type': 'text/html' }),
      502,
      true,
    ],
    ['a 200 that is not JSON', raw(200, 'OK', { 'Content-Type': 'text/plain' }), 200, false],
    ['a 200 of the wrong shape', raw(200, '{"status":"DONE"}', { 'Content-Type': 'application/json' }), 200, false],
    ['an empty 500', raw(500, ''), 500, false],
    ['an unknown error code', raw(400, '{"error":{"code":"NOPE","message":"x","requestId":"r"}}'), 400, false],
  ])('%s becomes a LivenessResponseError', async (_name, step, status, retryable) => {
    const sessionId = api.addSession([step]);
    const client = createLivenessClient({ apiUrl: api.url });

    const error = await client.getResult(sessionId).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LivenessResponseError);
    expect(error).toMatchObject({ status, retryable });
    expect((error as Error).message).toContain(`/v1/sessions/${sessionId}/result`);
  });

  test("API Gateway's own {message} body is shown in the error", async () => {
    const sessionId = api.addSession([raw(403, '{"message":"Missing Authentication Token"}')]);
    const client = createLivenessClient({ apiUrl: api.url });
    await expect(client.getResult(sessionId)).rejects.toThrow(/Missing Authentication Token/);
  });

  test('a request that gets no answer in time is a timed-out LivenessNetworkError', async () => {
    const slow = await startServer(
      () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: '{}' }), 1500)),
    );
    try {
      const client = createLivenessClient({ apiUrl: `${slow.origin}/v1`, requestTimeoutMs: 100 });
      const error = await client.getResult('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LivenessNetworkError);
      expect(error).toMatchObject({ timedOut: true, retryable: true });
    } finally {
      await slow.close();
    }
  });
});

describe('waitForResult', () => {
  test('polls through pending until finished, waiting exactly Retry-After each time', async () => {
    // GIVEN
    const sessionId = api.addSession([pending(2, 'CREATED'), pending(1), live()]);
    const time = fakeClock();
    const events: PollEvent[] = [];
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });

    // WHEN
    const result = await client.waitForResult(sessionId, { onPoll: (e) => events.push(e) });

    // THEN
    expect(result).toMatchObject({ sessionId, done: true, isLive: true, status: 'SUCCEEDED' });
    expect(time.sleeps).toEqual([2000, 1000]);
    expect(events.map((e) => [e.attempt, e.result?.status, e.delayMs])).toEqual([
      [1, 'CREATED', 2000],
      [2, 'IN_PROGRESS', 1000],
      [3, 'SUCCEEDED', undefined],
    ]);
  });

  test('without Retry-After it backs off exponentially, with jitter, up to a cap', async () => {
    const sessionId = api.addSession([pending(), pending(), pending(), pending(), live()]);
    const time = fakeClock();
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock, random: () => 0.5 });

    await client.waitForResult(sessionId, { backoff: { baseMs: 1000, maxMs: 3000 } });

    // Half of each step is fixed, half is jitter (here 0.5 of it): 1000, 2000, 3000 (capped), 3000.
    expect(time.sleeps).toEqual([750, 1500, 2250, 2250]);
  });

  test('jitter stays within [step/2, step]', async () => {
    const sessionId = api.addSession([pending(), pending(), live()]);
    const low = fakeClock();
    await createLivenessClient({ apiUrl: api.url, clock: low.clock, random: () => 0 }).waitForResult(sessionId);
    api.script(sessionId, [pending(), pending(), live()]);
    const high = fakeClock();
    await createLivenessClient({ apiUrl: api.url, clock: high.clock, random: () => 0.999999 }).waitForResult(sessionId);
    expect(low.sleeps).toEqual([250, 500]);
    expect(high.sleeps).toEqual([500, 1000]);
  });

  test('honours a real Retry-After on the wall clock', async () => {
    const sessionId = api.addSession([pending(1), live()]);
    const client = createLivenessClient({ apiUrl: api.url });

    await client.waitForResult(sessionId);

    const [first, second] = api.requests.map((r) => r.at);
    expect(second! - first!).toBeGreaterThanOrEqual(990);
  });

  test('throttled, then recovered: waits Retry-After of the 429 and reports the error to onPoll', async () => {
    const sessionId = api.addSession([apiError('THROTTLED', 2), live()]);
    const time = fakeClock();
    const events: PollEvent[] = [];
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });

    await expect(client.waitForResult(sessionId, { onPoll: (e) => events.push(e) })).resolves.toMatchObject({
      isLive: true,
    });

    expect(time.sleeps).toEqual([2000]);
    expect(events[0]!.error).toMatchObject({ code: 'THROTTLED', status: 429 });
  });

  test.each([
    ['503 SERVICE_UNAVAILABLE', apiError('SERVICE_UNAVAILABLE', 3), 3000],
    ['504 UPSTREAM_TIMEOUT', apiError('UPSTREAM_TIMEOUT', 1), 1000],
    ['504 without Retry-After: the documented default', apiError('UPSTREAM_TIMEOUT', null), 1000],
  ])('retries %s', async (_name, step, expectedDelay) => {
    const sessionId = api.addSession([step, live()]);
    const time = fakeClock();
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });

    await expect(client.waitForResult(sessionId)).resolves.toMatchObject({ done: true });

    expect(time.sleeps).toEqual([expectedDelay]);
  });

  test('retries a proxy 503 page that sends Retry-After as an HTTP date', async () => {
    const time = fakeClock();
    const retryAt = new Date(time.now() + 4000).toUTCString();
    const sessionId = api.addSession([raw(503, 'down', { 'Retry-After': retryAt }), live()]);
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });

    await expect(client.waitForResult(sessionId)).resolves.toMatchObject({ done: true });

    // An HTTP date has one-second resolution.
    expect(time.sleeps).toHaveLength(1);
    expect(time.sleeps[0]).toBeGreaterThanOrEqual(3000);
    expect(time.sleeps[0]).toBeLessThanOrEqual(4000);
  });

  test('a non-retryable 404 SESSION_NOT_FOUND stops at once', async () => {
    const sessionId = api.addSession([apiError('SESSION_NOT_FOUND'), live()]);
    const time = fakeClock();
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });

    await expect(client.waitForResult(sessionId)).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
      retryable: false,
    });

    expect(resultRequests()).toBe(1);
    expect(time.sleeps).toEqual([]);
  });

  test('gives up after maxConsecutiveErrors retryable errors in a row', async () => {
    const sessionId = api.addSession([apiError('SERVICE_UNAVAILABLE', 1)]);
    const time = fakeClock();
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });

    await expect(client.waitForResult(sessionId, { maxConsecutiveErrors: 2 })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });

    expect(resultRequests()).toBe(3);
  });

  test('stops when the signal aborts during a wait, with the signal reason', async () => {
    const sessionId = api.addSession([pending(30)]);
    const client = createLivenessClient({ apiUrl: api.url });
    const controller = new AbortController();
    const startedAt = Date.now();
    setTimeout(() => controller.abort(), 100);

    const error = await client.waitForResult(sessionId, { signal: controller.signal }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'AbortError' });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(resultRequests()).toBe(1);
  });

  test('an already aborted signal sends nothing', async () => {
    const sessionId = api.addSession();
    const client = createLivenessClient({ apiUrl: api.url });
    const reason = new Error('user left');
    await expect(client.waitForResult(sessionId, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(client.getResult(sessionId, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(api.requests).toHaveLength(0);
  });

  test('timeoutMs: stops with TIMEOUT instead of sleeping towards a poll past the limit', async () => {
    const sessionId = api.addSession([pending(2)]);
    const time = fakeClock();
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });

    const error = await client.waitForResult(sessionId, { timeoutMs: 3000 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LivenessTimeoutError);
    expect(error).toMatchObject({ reason: 'TIMEOUT', sessionId, lastResult: { status: 'IN_PROGRESS', done: false } });
    expect(time.sleeps).toEqual([2000]);
    expect(resultRequests()).toBe(2);
  });

  test('never polls past the session life, however long the timeout', async () => {
    const sessionId = api.addSession([pending(30)]);
    const time = fakeClock();
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });
    const start = time.now();

    const error = await client.waitForResult(sessionId, { timeoutMs: 3_600_000 }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'LivenessTimeoutError', reason: 'SESSION_EXPIRED' });
    // Polls at 0, 30, …, 180 s; the next (210 s) would be past 180 s plus a few seconds of grace.
    expect(resultRequests()).toBe(SESSION_TTL_SECONDS / 30 + 1);
    expect(time.now() - start).toBeLessThanOrEqual(SESSION_TTL_SECONDS * 1000);
  });

  test('counts the session life from its creation by this client', async () => {
    const time = fakeClock();
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });
    const { sessionId } = await client.createSession();
    api.script(sessionId, [pending(30)]);
    time.advance(100_000);

    await expect(client.waitForResult(sessionId)).rejects.toMatchObject({ reason: 'SESSION_EXPIRED' });

    // Polls at 100, 130, 160 s; 190 s is past the life.
    expect(resultRequests()).toBe(3);
  });

  test('counts the session life from a given expiresAt', async () => {
    const sessionId = api.addSession([pending(30)]);
    const time = fakeClock();
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });

    const expiresAt = new Date(time.now() + 60_000).toISOString();
    await expect(client.waitForResult(sessionId, { expiresAt })).rejects.toMatchObject({ reason: 'SESSION_EXPIRED' });

    expect(resultRequests()).toBe(3);
  });

  test('an expiresAt already past sends nothing', async () => {
    const sessionId = api.addSession();
    const time = fakeClock();
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock });
    await expect(client.waitForResult(sessionId, { expiresAt: time.now() - 60_000 })).rejects.toMatchObject({
      reason: 'SESSION_EXPIRED',
    });
    expect(api.requests).toHaveLength(0);
  });

  test('a finished EXPIRED session is a result, not an error', async () => {
    const sessionId = api.addSession([
      {
        kind: 'finished',
        result: { status: 'EXPIRED', done: true, isLive: false, reason: 'SESSION_EXPIRED', feedback: [] },
      },
    ]);
    const client = createLivenessClient({ apiUrl: api.url });
    await expect(client.waitForResult(sessionId)).resolves.toMatchObject({ status: 'EXPIRED', isLive: false });
  });

  test('recovers from a proxy error page between polls', async () => {
    const sessionId = api.addSession([raw(502, '<html>Bad Gateway</html>', { 'Content-Type': 'text/html' }), live()]);
    const time = fakeClock();
    const client = createLivenessClient({ apiUrl: api.url, clock: time.clock, random: () => 0 });
    await expect(client.waitForResult(sessionId)).resolves.toMatchObject({ isLive: true });
    expect(time.sleeps).toEqual([250]);
  });
});
