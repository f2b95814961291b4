/**
 * The whole offline flow: the typed client and the CLI → the local API → the real handlers → the real AWS SDK → the
 * Rekognition emulator (and local S3). One stack for the file; each test scripts the emulator for its case.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LivenessApiError, type createLivenessClient } from '../../client';
import { main } from '../../cli/main';
import { startLocalBackend, type LocalBackend } from '../../local/stack';
import { newLocalCaller, type LocalCaller } from '../support/local-identity';

describe('local mode: create → result through the local API and the emulator', () => {
  let stack: LocalBackend;
  let client: ReturnType<typeof createLivenessClient>;
  let caller: LocalCaller;

  beforeAll(async () => {
    // One caller makes every flow here, several of them failed checks: a lockout would end the file early.
    stack = await startLocalBackend({
      apiPort: 0,
      emulatorPort: 0,
      honourEnvironment: false,
      settings: { lockoutMaxFailures: 20 },
    });
    // One guest identity from the stack's identity pool, as a browser gets it; every call below is signed with it.
    caller = newLocalCaller(stack);
    client = caller.client;
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.emulator.reset();
    // Fast sessions: the flow needs no browser, the emulator completes them by itself.
    stack.emulator.defaults.set({ startAfterMs: 50, completeAfterMs: 200 });
  });

  it('live: a session that succeeds with a high confidence is live, and no score reaches the client', async () => {
    // GIVEN the default outcome (SUCCEEDED, confidence 95, threshold 80)
    const created = await client.createSession();
    // WHEN
    const result = await client.waitForResult(created.sessionId, { expiresAt: created.expiresAt });
    // THEN
    expect(created.region).toBe('us-east-1');
    expect(result).toEqual({
      sessionId: created.sessionId,
      status: 'SUCCEEDED',
      done: true,
      isLive: true,
      feedback: [],
      challenge: { type: 'FaceMovementAndLightChallenge', version: '2.0.0' },
      attestation: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    });
    const { sessionId: _id, ...rest } = { ...result, attestation: undefined };
    expect(JSON.stringify(rest)).not.toMatch(/confidence|95/i);
    // and the images went to the local S3 under the configured prefix, not to the client
    const view = stack.emulator.sessions.get(created.sessionId);
    expect(view?.status).toBe('SUCCEEDED');
  });

  it('not live: a low confidence with feedback codes gives LOW_CONFIDENCE and the codes', async () => {
    stack.emulator.defaults.set({
      outcome: {
        confidence: 42.5,
        feedback: [{ code: 'LOW_LIGHTING_DETECTED' }, { code: 'FACE_OBSTRUCTION_DETECTED' }],
      },
    });
    const created = await client.createSession({ challenge: 'FaceMovementAndLightChallenge' });
    const result = await client.waitForResult(created.sessionId);
    expect(result).toMatchObject({ status: 'SUCCEEDED', isLive: false, reason: 'LOW_CONFIDENCE' });
    expect(result.feedback).toEqual(['LOW_LIGHTING_DETECTED', 'FACE_OBSTRUCTION_DETECTED']);
    expect(JSON.stringify(result)).not.toContain('42.5');
  });

  it('not live: a SUCCEEDED session without a reference image is not live', async () => {
    stack.emulator.defaults.set({ outcome: { confidence: 99, referenceImage: false } });
    const created = await client.createSession();
    const result = await client.waitForResult(created.sessionId);
    expect(result).toMatchObject({ isLive: false, reason: 'MISSING_REFERENCE_IMAGE' });
  });

  it('failed: a FAILED session is finished, not live, with SESSION_FAILED', async () => {
    const created = await client.createSession();
    stack.emulator.sessions.setOutcome(created.sessionId, { status: 'FAILED' });
    const result = await client.waitForResult(created.sessionId);
    expect(result).toMatchObject({ status: 'FAILED', done: true, isLive: false, reason: 'SESSION_FAILED' });
  });

  it('expired: an EXPIRED session is finished, not live, with SESSION_EXPIRED', async () => {
    const created = await client.createSession();
    stack.emulator.sessions.setOutcome(created.sessionId, { status: 'EXPIRED' });
    const result = await client.waitForResult(created.sessionId);
    expect(result).toMatchObject({ status: 'EXPIRED', done: true, isLive: false, reason: 'SESSION_EXPIRED' });
  });

  it('not found: an unknown session id is a 404 SESSION_NOT_FOUND, not retried', async () => {
    const err = await client.getResult(randomUUID()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LivenessApiError);
    expect(err).toMatchObject({ status: 404, code: 'SESSION_NOT_FOUND', retryable: false });
  });

  it('a challenge outside the default policy is a 400 naming the allowed one', async () => {
    const err = await client.createSession({ challenge: 'FaceMovementChallenge' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      status: 400,
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('allowed: FaceMovementAndLightChallenge'),
    });
  });

  it('a session that reports another challenge than the policy allows is not live', async () => {
    stack.emulator.defaults.set({
      outcome: { confidence: 99, challenge: { type: 'FaceMovementChallenge', version: '1.0.0' } },
    });
    const created = await client.createSession();
    const result = await client.waitForResult(created.sessionId);
    expect(result).toMatchObject({
      isLive: false,
      reason: 'CHALLENGE_NOT_ALLOWED',
      challenge: { type: 'FaceMovementChallenge', version: '1.0.0' },
    });
  });

  it('a bad create request is a 400 naming the field', async () => {
    const res = await caller.fetch(`${stack.api.url}/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ auditImagesLimit: 9 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.message).toContain('auditImagesLimit');
  });

  it('throttled, then recovered: Rekognition throttling becomes a 429 with Retry-After, and the client waits it out', async () => {
    // GIVEN more throttles than the handler's own SDK retries absorb (maxAttempts 2), so one 429 reaches the client
    const created = await client.createSession();
    stack.emulator.faults.failNext('ThrottlingException', { count: 2, operation: 'GetFaceLivenessSessionResults' });
    const polls: string[] = [];
    // WHEN
    const result = await client.waitForResult(created.sessionId, {
      onPoll: (e) =>
        polls.push(e.error ? `error:${(e.error as LivenessApiError).code}` : `result:${String(e.result?.done)}`),
    });
    // THEN the first poll saw THROTTLED and a later one the verdict
    expect(polls[0]).toBe('error:THROTTLED');
    expect(result.isLive).toBe(true);
  });

  it('a raw 429 carries Retry-After and the error shape', async () => {
    const created = await client.createSession();
    stack.emulator.faults.failNext('ThrottlingException', { count: 2, operation: 'GetFaceLivenessSessionResults' });
    const res = await caller.fetch(`${stack.api.url}/sessions/${created.sessionId}/result`);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('THROTTLED');
  });

  it('Rekognition internal errors become 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
    stack.emulator.faults.failNext('InternalServerError', { count: 2, operation: 'CreateFaceLivenessSession' });
    const res = await caller.fetch(`${stack.api.url}/sessions`, { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).not.toBeNull();
  });

  it('the same clientRequestToken returns the same session', async () => {
    const token = `tok-${Date.now()}`;
    const a = await client.createSession({ clientRequestToken: token });
    const b = await client.createSession({ clientRequestToken: token });
    expect(b.sessionId).toBe(a.sessionId);
  });

  it("a repeat of a create, a while later, answers the session's real expiresAt, not one counted from the repeat", async () => {
    // GIVEN a session created with a token
    const token = `later-${Date.now()}`;
    const first = await client.createSession({ clientRequestToken: token });
    // WHEN the same create is sent again later (a retry after a lost response)
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await client.createSession({ clientRequestToken: token });
    // THEN it is the same session, with the same expiry (to the millisecond: the one recorded)
    expect(again).toEqual(first);
    const recorded = (await stack.dynamo.items()).find((i) => i.sessionId?.S === first.sessionId)?.expiresAt?.S;
    expect(again.expiresAt).toBe(recorded);
  });

  describe('the CLI against the local API', () => {
    function io() {
      const out: string[] = [];
      const err: string[] = [];
      return {
        out,
        err,
        // The CLI finds local mode's identity pool stand-in as `npm start` announces it.
        io: {
          stdout: { write: (s: string) => out.push(s) },
          stderr: { write: (s: string) => err.push(s) },
          // The CLI keeps its guest identity in the user's cache directory: a temporary one here.
          env: {
            LOCAL_COGNITO_PORT: String(stack.identity.port),
            XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'face-liveness-cache-')),
          },
        },
      };
    }

    it('check: exit 0 and a live verdict', async () => {
      const { io: cliIo, out } = io();
      const code = await main(['check', '--api', stack.api.url, '--json'], cliIo as never);
      expect(code).toBe(0);
      expect(JSON.parse(out.join(''))).toMatchObject({ ok: true, isLive: true, status: 'SUCCEEDED' });
    });

    it('check: exit 1 when not live', async () => {
      stack.emulator.defaults.set({ outcome: { confidence: 10 } });
      const { io: cliIo, out } = io();
      const code = await main(['check', '--api', stack.api.url], cliIo as never);
      expect(code).toBe(1);
      expect(out.join('')).toMatch(/not live/i);
    });

    it('result of an unknown session: exit 2', async () => {
      const { io: cliIo } = io();
      expect(await main(['result', randomUUID(), '--api', stack.api.url], cliIo as never)).toBe(2);
    });
  });
});
