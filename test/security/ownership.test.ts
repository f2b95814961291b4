/**
 * Session ownership end to end, in local mode (local API → real handlers → emulator and the local DynamoDB): a
 * session's result answers its owner only, another caller cannot tell it exists, and one caller's lockout is not
 * another's.
 * Callers are told apart by the access key they sign with (local mode's stand-in for a Cognito identity).
 */
import { randomUUID } from 'node:crypto';
import { LivenessApiError } from '../../client';
import type { LocalBackend } from '../../local/stack';
import { tableItems } from '../support/session-table';
import { clientAs, errorCode, ownerRefOf, raw, type RawResponse, startSecurityBackend } from './support';

let stack: LocalBackend;

beforeAll(async () => {
  stack = await startSecurityBackend();
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.emulator.reset();
  // Sessions end when a test says so (with the outcome it chooses), at once.
  stack.emulator.defaults.set({ autoComplete: false });
});

/** Ends a session now, as if the person had streamed, with the given outcome. */
const complete = (sessionId: string, outcome: Parameters<LocalBackend['emulator']['sessions']['complete']>[1] = {}) =>
  stack.emulator.sessions.complete(sessionId, outcome);

/** What a caller can observe of a response, without what differs per request anyway. */
function observable(r: RawResponse) {
  const { date, 'x-amzn-requestid': _a, 'x-request-id': _b, ...headers } = r.headers;
  return { status: r.status, headers, body: r.body.replace(/"requestId":"[^"]+"/, '"requestId":"…"') };
}

describe('ownership', () => {
  it('another caller gets exactly the answer of an unknown session, and Rekognition is not asked', async () => {
    // GIVEN a finished session of ALICE, and a trap: the next Rekognition read would fail loudly (500)
    const { sessionId } = await clientAs(stack, 'ALICE').createSession();
    await complete(sessionId);
    stack.emulator.faults.failNext('AccessDeniedException', { count: 1, operation: 'GetFaceLivenessSessionResults' });
    // WHEN BOB asks for it, and for a session that does not exist
    const foreign = await raw(stack, 'GET', `/sessions/${sessionId}/result`, 'BOB');
    const unknown = await raw(stack, 'GET', `/sessions/${randomUUID()}/result`, 'BOB');
    // THEN both are the same 404, headers and body alike, and Rekognition was never asked (the trap is still set)
    expect(foreign.status).toBe(404);
    expect(errorCode(foreign)).toBe('SESSION_NOT_FOUND');
    expect(observable(foreign)).toEqual(observable(unknown));
    expect(foreign.headers['x-request-id']).toBe(JSON.parse(foreign.body).error.requestId);
    expect(stack.emulator.faults.get().queued).toHaveLength(1);
  });

  it('the owner gets the result; other callers and the anonymous caller never do, before or after the verdict', async () => {
    const alice = clientAs(stack, 'ALICE');
    const { sessionId } = await alice.createSession();
    expect((await raw(stack, 'GET', `/sessions/${sessionId}/result`)).status).toBe(404);
    await complete(sessionId);
    const result = await alice.waitForResult(sessionId);
    expect(result).toMatchObject({ sessionId, done: true, isLive: true });
    for (const caller of ['BOB', undefined]) {
      const r = await raw(stack, 'GET', `/sessions/${sessionId}/result`, caller);
      expect(r.status).toBe(404);
      expect(r.body).not.toContain('isLive');
    }
  });

  it('the same clientRequestToken from another caller creates another session, not the first one', async () => {
    const token = `shared-${Date.now()}`;
    const a = await clientAs(stack, 'ALICE').createSession({ clientRequestToken: token });
    const again = await clientAs(stack, 'ALICE').createSession({ clientRequestToken: token });
    const b = await clientAs(stack, 'BOB').createSession({ clientRequestToken: token });
    expect(again.sessionId).toBe(a.sessionId);
    expect(b.sessionId).not.toBe(a.sessionId);
    const owners = Object.fromEntries((await tableItems(stack.dynamo)).sessions.map((s) => [s.sessionId, s.owner]));
    expect(owners[a.sessionId]).toBe(ownerRefOf(stack, 'ALICE'));
    expect(owners[b.sessionId]).toBe(ownerRefOf(stack, 'BOB'));
  });

  it('the stored verdict outlives Rekognition: once decided, it is answered after the emulator forgot the session', async () => {
    const alice = clientAs(stack, 'ALICE');
    const { sessionId } = await alice.createSession();
    await complete(sessionId, { confidence: 12 });
    const first = await alice.waitForResult(sessionId);
    stack.emulator.reset();
    const later = await alice.getResult(sessionId);
    // The same verdict; each read carries a fresh attestation of it (its own iat, exp and jti).
    expect({ ...later, attestation: undefined }).toEqual({ ...first, attestation: undefined });
    expect(first).toMatchObject({ isLive: false, reason: 'LOW_CONFIDENCE' });
  });
});

describe('lockout', () => {
  it('locks a caller out after 5 failed checks, with Retry-After; another caller is not affected and the locked one can still read', async () => {
    // GIVEN MALLORY fails five checks in a row
    const mallory = clientAs(stack, 'MALLORY');
    const failed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { sessionId } = await mallory.createSession();
      await complete(sessionId, i % 2 === 0 ? { confidence: 5 } : { status: 'FAILED' });
      expect((await mallory.waitForResult(sessionId)).isLive).toBe(false);
      failed.push(sessionId);
    }
    // WHEN MALLORY asks for a sixth session, and CAROL for her first
    const locked = await raw(stack, 'POST', '/sessions', 'MALLORY');
    const carol = await raw(stack, 'POST', '/sessions', 'CAROL');
    // THEN
    expect(locked.status).toBe(429);
    expect(errorCode(locked)).toBe('LOCKED_OUT');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(1790);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(1800);
    expect(locked.headers['access-control-expose-headers']).toBe('Retry-After, X-Request-Id');
    expect(carol.status).toBe(201);
    // the typed client reports it as not retryable, with the wait
    const error = await mallory.createSession().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LivenessApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'LOCKED_OUT',
      retryable: false,
      retryAfterSeconds: expect.any(Number),
    });
    // and the locked caller's earlier results are still readable, and counted once however often they are read
    for (const id of failed) expect((await mallory.getResult(id)).done).toBe(true);
    const owner = (await tableItems(stack.dynamo)).owners.find((o) => o.owner === ownerRefOf(stack, 'MALLORY'));
    expect(Object.keys(owner?.failures as object).sort()).toEqual([...failed].sort());
    expect(owner).toMatchObject({ lockouts: 1 });
  });
});
