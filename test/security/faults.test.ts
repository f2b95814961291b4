/**
 * Faults in local mode: Rekognition (the emulator) throttling, failing and answering too late, and the session table
 * (the local DynamoDB behind its fault layer) failing, dropping connections and answering too late. The client always
 * sees a retryable 429 / 503 / 504 with Retry-After and the error shape, and afterwards every session it was given
 * has exactly one record, with exactly one verdict, and every failed check is counted exactly once: nothing is lost or
 * duplicated.
 *
 * SDK_TIMEOUT_MS is 500 ms here (2 attempts), so "too late" is 1.2 s.
 */
import { startLocalBackend, type LocalBackend } from '../../local/stack';
import { tableItems } from '../support/session-table';
import { errorCode, ownerRefOf, pool, raw, type RawResponse } from './support';

// Small enough to keep the timeout cases short, large enough not to time out by accident on a busy 2-core machine.
const SDK_TIMEOUT_MS = 500;
const RETRYABLE = { THROTTLED: 429, SERVICE_UNAVAILABLE: 503, UPSTREAM_TIMEOUT: 504 } as const;

let stack: LocalBackend;

beforeAll(async () => {
  stack = await startLocalBackend({
    apiPort: 0,
    emulatorPort: 0,
    // Callers named by their access key id (test/security/support.ts).
    auth: 'none',
    honourEnvironment: false,
    // Lockout well above what these tests fail, so the counts can be checked exactly without a caller being locked.
    settings: { storeImages: false, sdkTimeoutMs: SDK_TIMEOUT_MS, sdkMaxAttempts: 2, lockoutMaxFailures: 50 },
  });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.emulator.reset();
  stack.emulator.defaults.set({ autoComplete: false });
  stack.dynamo.faults.reset();
});

/** A retryable error as the contract promises it: its status, Retry-After, CORS, and the request id twice. */
function expectRetryable(r: RawResponse, code: keyof typeof RETRYABLE): void {
  expect({ status: r.status, code: errorCode(r) }).toEqual({ status: RETRYABLE[code], code });
  expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
  expect(r.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  expect(r.headers['x-request-id']).toBe(JSON.parse(r.body).error.requestId);
  expect(r.body).not.toMatch(/Injected|Exception|\n\s+at /);
}

async function createOk(caller: string, token: string): Promise<string> {
  const r = await raw(stack, 'POST', '/sessions', caller, { clientRequestToken: token });
  expect(r.status).toBe(201);
  return (JSON.parse(r.body) as { sessionId: string }).sessionId;
}

describe('Rekognition faults', () => {
  it.each([
    ['ThrottlingException', 'THROTTLED'],
    ['ProvisionedThroughputExceededException', 'THROTTLED'],
    ['InternalServerError', 'SERVICE_UNAVAILABLE'],
  ] as const)('%s on both attempts of a create is %s, and the retry succeeds', async (fault, code) => {
    stack.emulator.faults.failNext(fault, { count: 2, operation: 'CreateFaceLivenessSession' });
    expectRetryable(await raw(stack, 'POST', '/sessions', 'FAULTY', { clientRequestToken: `t-${fault}` }), code);
    await createOk('FAULTY', `t-${fault}`);
  });

  it('latency past the per-call timeout is 504 UPSTREAM_TIMEOUT, for a create and for a result', async () => {
    const id = await createOk('SLOW', 'slow-1');
    stack.emulator.faults.set({ latencyMs: SDK_TIMEOUT_MS * 2.4 });
    expectRetryable(
      await raw(stack, 'POST', '/sessions', 'SLOW', { clientRequestToken: 'slow-2' }),
      'UPSTREAM_TIMEOUT',
    );
    expectRetryable(await raw(stack, 'GET', `/sessions/${id}/result`, 'SLOW'), 'UPSTREAM_TIMEOUT');
  });

  it('a throttled result read leaves no verdict behind; the next read records it once', async () => {
    const id = await createOk('THROTTLED', 'thr-1');
    await stack.emulator.sessions.complete(id, { confidence: 20 });
    stack.emulator.faults.failNext('ThrottlingException', { count: 2, operation: 'GetFaceLivenessSessionResults' });
    expectRetryable(await raw(stack, 'GET', `/sessions/${id}/result`, 'THROTTLED'), 'THROTTLED');
    expect((await tableItems(stack.dynamo)).sessions.find((s) => s.sessionId === id)).not.toHaveProperty('decidedAt');
    const ok = await raw(stack, 'GET', `/sessions/${id}/result`, 'THROTTLED');
    expect(JSON.parse(ok.body)).toMatchObject({ isLive: false, reason: 'LOW_CONFIDENCE' });
  });
});

describe('session table faults', () => {
  it('a failed session write is 503 and hands out no session; the retry with the same token gets the same session, recorded once', async () => {
    stack.dynamo.faults.failNext('InternalServerError', { count: 2, operation: 'UpdateItem' });
    const failed = await raw(stack, 'POST', '/sessions', 'TABLE', { clientRequestToken: 'put-1' });
    expectRetryable(failed, 'SERVICE_UNAVAILABLE');
    const id = await createOk('TABLE', 'put-1');
    const records = (await tableItems(stack.dynamo)).sessions.filter((s) => s.sessionId === id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ owner: ownerRefOf(stack, 'TABLE') });
  });

  it('a failed verdict write is 503; the retry records the verdict once and counts the failure once', async () => {
    const id = await createOk('TABLE2', 'upd-1');
    await stack.emulator.sessions.complete(id, { status: 'FAILED' });
    stack.dynamo.faults.failNext('InternalServerError', { count: 2, operation: 'UpdateItem' });
    expectRetryable(await raw(stack, 'GET', `/sessions/${id}/result`, 'TABLE2'), 'SERVICE_UNAVAILABLE');
    for (let i = 0; i < 3; i++)
      expect(JSON.parse((await raw(stack, 'GET', `/sessions/${id}/result`, 'TABLE2')).body)).toMatchObject({
        reason: 'SESSION_FAILED',
      });
    const { sessions, owners } = await tableItems(stack.dynamo);
    expect(sessions.filter((s) => s.sessionId === id)).toEqual([
      expect.objectContaining({ status: 'FAILED', isLive: false }),
    ]);
    expect(owners.find((o) => o.owner === ownerRefOf(stack, 'TABLE2'))).toMatchObject({
      failures: { [id]: expect.any(Number) },
      version: 1,
    });
  });

  it('throttling by the table is 429 THROTTLED', async () => {
    stack.dynamo.faults.failNext('ProvisionedThroughputExceededException', { count: 2, operation: 'GetItem' });
    expectRetryable(await raw(stack, 'POST', '/sessions', 'TABLE3', { clientRequestToken: 'thr-t' }), 'THROTTLED');
  });

  it('an outage of the table (connections dropped) is a retryable error, and the service recovers', async () => {
    const id = await createOk('OUTAGE', 'out-1');
    stack.dynamo.faults.setDown(true);
    const during = await raw(stack, 'GET', `/sessions/${id}/result`, 'OUTAGE');
    stack.dynamo.faults.setDown(false);
    // The SDK reports a dropped socket as a TimeoutError (code ECONNRESET): 504, retry.
    expectRetryable(during, 'UPSTREAM_TIMEOUT');
    await stack.emulator.sessions.complete(id);
    expect(JSON.parse((await raw(stack, 'GET', `/sessions/${id}/result`, 'OUTAGE')).body)).toMatchObject({
      isLive: true,
    });
  });

  it('a table answering past the per-call timeout is 504 UPSTREAM_TIMEOUT', async () => {
    stack.dynamo.faults.setLatency(SDK_TIMEOUT_MS * 2.4);
    const r = await raw(stack, 'POST', '/sessions', 'LATE', { clientRequestToken: 'late-1' });
    stack.dynamo.faults.setLatency(0);
    expectRetryable(r, 'UPSTREAM_TIMEOUT');
  });
});

describe('a storm of faults on both services', () => {
  it('every session handed out ends with exactly one record, one verdict, and its failure counted exactly once', async () => {
    // GIVEN seeded random faults (the order of concurrent calls still varies): 30 % throttling and 20 % internal errors
    // at Rekognition, 30 % errors at the table. The handlers' own SDK retry (2 attempts) absorbs some of them.
    stack.emulator.faults.set({ seed: 7, throttlingRate: 0.3, internalErrorRate: 0.2 });
    stack.dynamo.faults.setErrorRate(0.3, { seed: 11 });
    const callers = Array.from({ length: 6 }, (_, i) => `STORM${i}`);
    const plan = callers.flatMap((caller) =>
      Array.from({ length: 10 }, (_, i) => ({ caller, token: `${caller}-${i}`, live: i % 3 !== 0 })),
    );
    const handedOut = new Map<string, { caller: string; live: boolean }>();
    const errors: RawResponse[] = [];
    const retried = async (call: () => Promise<RawResponse>): Promise<RawResponse> => {
      for (let attempt = 0; attempt < 40; attempt++) {
        const r = await call();
        if (r.status < 400) return r;
        errors.push(r);
        // A test may retry at once; a real client waits Retry-After.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error('still failing after 40 attempts');
    };

    // WHEN each caller creates its sessions (same token on every retry) and reads each until it has a verdict
    await pool(plan, 12, async ({ caller, token, live }) => {
      const created = await retried(() => raw(stack, 'POST', '/sessions', caller, { clientRequestToken: token }));
      const { sessionId } = JSON.parse(created.body) as { sessionId: string };
      handedOut.set(sessionId, { caller, live });
      await stack.emulator.sessions.complete(sessionId, live ? {} : { confidence: 3 });
      const result = await retried(() => raw(stack, 'GET', `/sessions/${sessionId}/result`, caller));
      expect(JSON.parse(result.body)).toMatchObject({ sessionId, done: true, isLive: live });
    });
    stack.emulator.faults.clear();
    stack.dynamo.faults.reset();

    // THEN the faults really happened, and each was answered as the contract says
    expect(errors.length).toBeGreaterThanOrEqual(10);
    const statuses = new Set(errors.map((e) => e.status));
    expect(statuses).toContain(429);
    expect(statuses).toContain(503);
    for (const e of errors) expectRetryable(e, errorCode(e) as keyof typeof RETRYABLE);
    console.log(
      `fault storm: ${plan.length} flows, ${errors.length} retryable errors answered (${[...new Set(errors.map((e) => `${e.status}`))].join(', ')})`,
    );

    // and the table holds one record per session handed out, each with its one verdict
    const { sessions, owners } = await tableItems(stack.dynamo);
    const stormOwners = new Set(callers.map((caller) => ownerRefOf(stack, caller)));
    const storm = sessions.filter((s) => stormOwners.has(String(s.owner)));
    expect(storm.map((s) => s.sessionId).sort()).toEqual([...handedOut.keys()].sort());
    for (const s of storm) {
      const expected = handedOut.get(String(s.sessionId))!;
      expect(s).toMatchObject({
        owner: ownerRefOf(stack, expected.caller),
        isLive: expected.live,
        status: 'SUCCEEDED',
        decidedAt: expect.any(String),
      });
    }
    // and every failed check counted exactly once, nothing more
    for (const caller of callers) {
      const failedIds = [...handedOut]
        .filter(([, v]) => v.caller === caller && !v.live)
        .map(([id]) => id)
        .sort();
      const owner = owners.find((o) => o.owner === ownerRefOf(stack, caller));
      expect(Object.keys(owner?.failures as object).sort()).toEqual(failedIds);
      expect(owner?.lockedUntil).toBe(0);
    }
  });
});
