import {
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  SessionNotFoundException,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { SESSION_TTL_SECONDS } from '../../contract/liveness-model';
import { startRekognitionEmulator, type RekognitionEmulator } from '../../local/emulators/rekognition';
import { control, errorOf, manualClock, rekognitionClient, type ManualClock } from './support';

const TTL_MS = SESSION_TTL_SECONDS * 1000;

describe('Rekognition emulator: session lifecycle', () => {
  let clock: ManualClock;
  let emulator: RekognitionEmulator;
  let client: RekognitionClient;

  beforeAll(async () => {
    clock = manualClock();
    emulator = await startRekognitionEmulator({ clock: clock.now, retentionSeconds: 60 });
    client = rekognitionClient(emulator.url);
  });

  beforeEach(() => emulator.reset());

  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  const create = async (token?: string): Promise<string> => {
    const out = await client.send(
      new CreateFaceLivenessSessionCommand({ ...(token && { ClientRequestToken: token }) }),
    );
    return out.SessionId as string;
  };
  const get = (sessionId: string) => client.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId }));

  describe('by default (auto-complete)', () => {
    it('goes CREATED -> IN_PROGRESS -> SUCCEEDED with confidence 95 and no browser', async () => {
      // GIVEN
      const id = await create();

      // WHEN / THEN
      expect((await get(id)).Status).toBe('CREATED');
      clock.advance(300);
      const running = await get(id);
      expect(running.Status).toBe('IN_PROGRESS');
      expect(running.Confidence).toBeUndefined();
      clock.advance(1200);
      const done = await get(id);
      expect(done).toMatchObject({
        SessionId: id,
        Status: 'SUCCEEDED',
        Confidence: 95,
        // What the service and the Amplify component run today.
        Challenge: { Type: 'FaceMovementAndLightChallenge', Version: '2.0.0' },
        Feedback: [],
        AuditImages: [],
      });
      expect(done.ReferenceImage?.Bytes).toBeInstanceOf(Uint8Array);
    });

    it('gives every session a new random lowercase UUID', async () => {
      const ids = await Promise.all([create(), create(), create()]);
      expect(new Set(ids).size).toBe(3);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('reports the challenge chosen from ChallengePreferences', async () => {
      // GIVEN
      const out = await client.send(
        new CreateFaceLivenessSessionCommand({
          Settings: { ChallengePreferences: [{ Type: 'FaceMovementChallenge' }] },
        }),
      );

      // WHEN
      clock.advance(2000);
      const result = await get(out.SessionId as string);

      // THEN
      expect(result.Challenge).toEqual({ Type: 'FaceMovementChallenge', Version: '1.0.0' });
    });

    it.each([
      [{ Type: 'FaceMovementAndLightChallenge' as const }, '2.0.0'],
      [{ Type: 'FaceMovementAndLightChallenge' as const, Versions: { Minimum: '2.0.0' } }, '2.0.0'],
      [{ Type: 'FaceMovementAndLightChallenge' as const, Versions: { Maximum: '1.0.0' } }, '1.0.0'],
      [{ Type: 'FaceMovementChallenge' as const, Versions: { Minimum: '1.0.0' } }, '1.0.0'],
    ])('runs %j at the newest version it allows (%s)', async (preference, version) => {
      const out = await client.send(
        new CreateFaceLivenessSessionCommand({ Settings: { ChallengePreferences: [preference] } }),
      );
      clock.advance(2000);
      expect((await get(out.SessionId as string)).Challenge).toEqual({ Type: preference.Type, Version: version });
    });
  });

  describe('idempotency', () => {
    it('returns the same SessionId for the same ClientRequestToken', async () => {
      const first = await create('order-42');
      const second = await create('order-42');
      const other = await create('order-43');
      expect(second).toBe(first);
      expect(other).not.toBe(first);
    });

    it('keeps returning that session, also once it is terminal', async () => {
      const first = await create('token-terminal');
      clock.advance(5000);
      expect((await get(first)).Status).toBe('SUCCEEDED');
      expect(await create('token-terminal')).toBe(first);
    });
  });

  describe('expiry (3 minutes, injected clock)', () => {
    beforeEach(() => emulator.defaults.set({ autoComplete: false }));

    it('stays CREATED until just before expiry, then reads EXPIRED', async () => {
      // GIVEN
      const id = await create();

      // WHEN / THEN
      clock.advance(TTL_MS - 1);
      expect((await get(id)).Status).toBe('CREATED');
      clock.advance(1);
      const expired = await get(id);
      expect(expired.Status).toBe('EXPIRED');
      expect(expired.Confidence).toBeUndefined();
      expect(expired.ReferenceImage).toBeUndefined();
      expect(expired.Challenge).toBeUndefined();
    });

    it('expires a session that is IN_PROGRESS but never completes', async () => {
      const id = await create();
      emulator.sessions.markStreaming(id);
      expect((await get(id)).Status).toBe('IN_PROGRESS');
      clock.advance(TTL_MS);
      const expired = await get(id);
      expect(expired.Status).toBe('EXPIRED');
      expect(expired.Challenge).toBeDefined();
    });

    it('keeps a completed result (no expiry) until the data is forgotten', async () => {
      const id = await create();
      await emulator.sessions.complete(id);
      clock.advance(TTL_MS + 1000);
      expect((await get(id)).Status).toBe('SUCCEEDED');
    });

    it('forgets every session retentionSeconds after expiry: SessionNotFoundException', async () => {
      // GIVEN
      const id = await create('forgotten-token');

      // WHEN
      clock.advance(TTL_MS + 59_999);
      expect((await get(id)).Status).toBe('EXPIRED');
      clock.advance(1);
      const err = await errorOf(get(id));

      // THEN
      expect(err).toBeInstanceOf(SessionNotFoundException);
      expect(await create('forgotten-token')).not.toBe(id);
    });

    it('forgets the older sessions and keeps the newer ones, oldest first', async () => {
      // GIVEN three sessions a second apart
      const first = await create();
      clock.advance(1000);
      const second = await create();
      clock.advance(1000);
      const third = await create();
      // WHEN the second's data is due to be forgotten (the third's is not)
      clock.advance(TTL_MS + 60_000 - 1000);
      // THEN
      expect(await errorOf(get(first))).toBeInstanceOf(SessionNotFoundException);
      expect(await errorOf(get(second))).toBeInstanceOf(SessionNotFoundException);
      expect((await get(third)).Status).toBe('EXPIRED');
    });

    it('forgets a session on time even when an older one created under a clock set back is still kept', async () => {
      // GIVEN a session, then the clock set back an hour and a second session
      const later = await create();
      clock.advance(-3_600_000);
      const earlier = await create();
      // WHEN the second's data is due to be forgotten, but not the first's
      clock.advance(TTL_MS + 60_000);
      // THEN
      expect(await errorOf(get(earlier))).toBeInstanceOf(SessionNotFoundException);
      expect((await get(later)).SessionId).toBe(later);
      clock.advance(3_600_000);
    });

    it('never auto-completes after expiry when completeAfterMs is longer than the TTL', async () => {
      emulator.defaults.set({ autoComplete: true, completeAfterMs: TTL_MS + 10 });
      const id = await create();
      clock.advance(TTL_MS + 20);
      expect((await get(id)).Status).toBe('EXPIRED');
    });
  });

  describe('scripted outcomes over the control endpoint (HTTP)', () => {
    it('sets a FAILED outcome that the session reaches by itself', async () => {
      // GIVEN
      const id = await create();

      // WHEN
      const set = await control(emulator, 'PUT', `/sessions/${id}/outcome`, { status: 'FAILED' });
      clock.advance(1500);
      const result = await get(id);

      // THEN
      expect(set.status).toBe(200);
      expect(set.body.scriptedOutcome).toEqual({ status: 'FAILED' });
      expect(result.Status).toBe('FAILED');
      expect(result.Confidence).toBeUndefined();
      expect(result.Feedback).toBeUndefined();
      expect(result.ReferenceImage).toBeUndefined();
    });

    it('scripts confidence, feedback with default and custom messages, and a challenge', async () => {
      // GIVEN
      const id = await create();
      await control(emulator, 'PUT', `/sessions/${id}/outcome`, {
        status: 'SUCCEEDED',
        confidence: 42.5,
        feedback: [{ code: 'LOW_LIGHTING_DETECTED' }, { code: 'EYES_CLOSED_DETECTED', message: 'Open your eyes' }],
        challenge: { type: 'FaceMovementChallenge', version: '1.0.0' },
        sdkType: 'AmplifyUI-React',
      });

      // WHEN
      clock.advance(1500);
      const result = await get(id);

      // THEN
      expect(result.Confidence).toBe(42.5);
      expect(result.Feedback).toEqual([
        { Code: 'LOW_LIGHTING_DETECTED', Message: expect.stringMatching(/\w+/) },
        { Code: 'EYES_CLOSED_DETECTED', Message: 'Open your eyes' },
      ]);
      expect(result.Challenge).toEqual({ Type: 'FaceMovementChallenge', Version: '1.0.0' });
      expect(result.Metadata).toEqual({ SDKType: 'AmplifyUI-React' });
    });

    it('simulates a missing reference image', async () => {
      const id = await create();
      await control(emulator, 'PUT', `/sessions/${id}/outcome`, { referenceImage: false });
      clock.advance(1500);
      const result = await get(id);
      expect(result.Status).toBe('SUCCEEDED');
      expect(result.ReferenceImage).toBeUndefined();
    });

    it('marks a session IN_PROGRESS and completes it now', async () => {
      // GIVEN
      emulator.defaults.set({ autoComplete: false });
      const id = await create();

      // WHEN
      const started = await control(emulator, 'POST', `/sessions/${id}/start`, { sdkType: 'test-stream' });
      const mid = await get(id);
      const completed = await control(emulator, 'POST', `/sessions/${id}/complete`, { confidence: 77 });
      const done = await get(id);

      // THEN
      expect(started.body).toMatchObject({ status: 'IN_PROGRESS', streaming: true });
      expect(mid.Status).toBe('IN_PROGRESS');
      expect(completed.body.status).toBe('SUCCEEDED');
      expect(done).toMatchObject({ Status: 'SUCCEEDED', Confidence: 77, Metadata: { SDKType: 'test-stream' } });
    });

    it('expires a session on demand', async () => {
      const id = await create();
      await control(emulator, 'POST', `/sessions/${id}/complete`, { status: 'EXPIRED' });
      expect((await get(id)).Status).toBe('EXPIRED');
    });

    it('inspects one session and lists all', async () => {
      // GIVEN
      const id = await create('inspect-me');

      // WHEN
      const one = await control(emulator, 'GET', `/sessions/${id}`);
      const all = await control(emulator, 'GET', '/sessions');

      // THEN
      expect(one.body).toMatchObject({
        sessionId: id,
        status: 'CREATED',
        clientRequestToken: 'inspect-me',
        region: 'us-east-1',
        auditImagesLimit: 0,
        autoComplete: true,
      });
      expect(new Date(one.body.expiresAt).getTime() - new Date(one.body.createdAt).getTime()).toBe(TTL_MS);
      expect(all.body.sessions.map((s: { sessionId: string }) => s.sessionId)).toContain(id);
    });

    it('changes the defaults for new sessions', async () => {
      // WHEN
      const res = await control(emulator, 'PUT', '/defaults', {
        completeAfterMs: 100,
        startAfterMs: 50,
        outcome: { confidence: 61, feedback: [{ code: 'FACE_NOT_ALIGNED' }] },
      });
      const id = await create();
      clock.advance(100);
      const result = await get(id);

      // THEN
      expect(res.body).toMatchObject({
        autoComplete: true,
        completeAfterMs: 100,
        outcome: { status: 'SUCCEEDED', confidence: 61 },
      });
      expect(result).toMatchObject({ Status: 'SUCCEEDED', Confidence: 61, Feedback: [{ Code: 'FACE_NOT_ALIGNED' }] });
    });

    it('switches auto-complete off', async () => {
      await control(emulator, 'PUT', '/defaults', { autoComplete: false });
      const id = await create();
      clock.advance(60_000);
      expect((await get(id)).Status).toBe('CREATED');
    });

    it('answers 404 for an unknown session, 409 once it ended, 400 for a bad outcome, 415 without JSON', async () => {
      // GIVEN
      const id = await create();
      await control(emulator, 'POST', `/sessions/${id}/complete`, {});

      // WHEN
      const unknown = await control(emulator, 'GET', '/sessions/00000000-0000-4000-8000-000000000000');
      const ended = await control(emulator, 'PUT', `/sessions/${id}/outcome`, { status: 'FAILED' });
      const bad = await control(emulator, 'PUT', '/defaults', { outcome: { confidence: 101 } });
      const badCode = await control(emulator, 'PUT', '/defaults', { outcome: { feedback: [{ code: 'NOPE' }] } });
      const unknownField = await control(emulator, 'PUT', '/defaults', { autocomplete: false });
      const plain = await fetch(`${emulator.controlUrl}/reset`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'text/plain' },
      });
      const noRoute = await control(emulator, 'GET', '/nothing-here');

      // THEN
      expect(unknown.status).toBe(404);
      expect(ended.status).toBe(409);
      expect(ended.body.error).toMatch(/already ended/);
      expect(bad.status).toBe(400);
      expect(badCode.status).toBe(400);
      expect(unknownField.status).toBe(400);
      expect(plain.status).toBe(415);
      expect(noRoute.status).toBe(404);
    });

    it('resets sessions, defaults and faults', async () => {
      // GIVEN
      const id = await create();
      await control(emulator, 'PUT', '/defaults', { completeAfterMs: 10 });

      // WHEN
      const res = await control(emulator, 'POST', '/reset');

      // THEN
      expect(res.body).toEqual({ ok: true });
      expect((await control(emulator, 'GET', '/defaults')).body.completeAfterMs).toBe(1500);
      expect(await errorOf(get(id))).toBeInstanceOf(SessionNotFoundException);
    });

    it('answers health checks', async () => {
      expect(await control(emulator, 'GET', '/health')).toEqual({ status: 200, body: { ok: true } });
    });
  });

  describe('streaming hooks (for the StartFaceLivenessSession emulator)', () => {
    beforeEach(() => emulator.defaults.set({ autoComplete: false }));

    it('moves a session on through the session directory without throwing', async () => {
      // GIVEN
      const id = await create();
      emulator.sessions.setOutcome(id, { status: 'SUCCEEDED', confidence: 88 });

      // WHEN / THEN
      expect(emulator.streamingSessions.get(id)).toMatchObject({
        sessionId: id,
        status: 'CREATED',
        createdAt: clock.now(),
        region: 'us-east-1',
        challengePreferences: [],
      });
      expect(emulator.streamingSessions.markStreaming(id)).toBe(true);
      expect(emulator.streamingSessions.get(id)?.status).toBe('IN_PROGRESS');
      expect(emulator.streamingSessions.complete(id)).toBe(true);
      expect(emulator.streamingSessions.complete(id)).toBe(false);
      expect(emulator.streamingSessions.markStreaming('00000000-0000-4000-8000-000000000000')).toBe(false);
      expect(await get(id)).toMatchObject({ Status: 'SUCCEEDED', Confidence: 88 });
    });

    it('fails a broken stream', async () => {
      const id = await create();
      emulator.streamingSessions.markStreaming(id);
      expect(emulator.streamingSessions.fail(id, 'socket closed')).toBe(true);
      expect((await get(id)).Status).toBe('FAILED');
    });

    it('exposes markStreaming / complete as plain functions too', async () => {
      const id = await create();
      expect(emulator.sessions.markStreaming(id).status).toBe('IN_PROGRESS');
      expect((await emulator.sessions.complete(id, { status: 'FAILED' })).status).toBe('FAILED');
      expect(() => emulator.sessions.markStreaming(id)).toThrow(/already ended/);
    });
  });
});
