/**
 * A bounded load test of local mode: 50 concurrent callers, each its own identity, run 1,010 complete create → result
 * flows through the local API, the real handlers, the emulator and the local DynamoDB, with a mix of live and not-live
 * outcomes. 40 honest callers fail 3 of their 24 checks (below the lockout); 10 abusive callers fail every check and
 * are locked out at their fifth failure. Afterwards every session has exactly one verdict, every failure is counted
 * exactly once, exactly the abusive callers are locked, and the throughput and latency percentiles are printed.
 *
 * Then 20 sessions of one caller fail at the same moment, each read three times at once: the optimistic locking of
 * the caller's failure count loses nothing (20 failures, one lockout), and concurrent reads agree.
 *
 * Everything runs in this one Node process on a shared 2-core machine: the figures are for comparison between runs,
 * not a capacity statement.
 */
import { LivenessApiError, type LivenessClient } from '../../client';
import type { LocalBackend } from '../../local/stack';
import { tableItems } from '../support/session-table';
import { clientAs, errorCode, latencyLine, ownerRefOf, pool, raw, startSecurityBackend } from './support';

const HONEST = 40;
const HONEST_FLOWS = 24;
/** Flow indexes at which an honest caller's check fails: 3 failures, under the lockout's 5. */
const HONEST_FAILURES = new Set([3, 11, 19]);
const ABUSIVE = 10;
const LOCKOUT_AFTER = 5;
const NOT_LIVE = [{ confidence: 31.5 }, { status: 'FAILED' as const }, { confidence: 99, referenceImage: false }];

let stack: LocalBackend;

beforeAll(async () => {
  // Sessions end the moment the test completes them, with the outcome it picks: no streaming, no waiting. What is
  // checked is atomicity, not latency: on a shared 2-core machine one call to the local DynamoDB, among 50 callers'
  // flows, can wait past the default 3 s SDK timeout for the CPU, which would end a flow early with a 504.
  stack = await startSecurityBackend({
    scripted: true,
    settings: { sdkTimeoutMs: 10_000, functionTimeoutSeconds: 29 },
  });
});
afterAll(() => stack.close());

interface Flow {
  readonly caller: string;
  readonly sessionId: string;
  readonly live: boolean;
}

describe('50 concurrent callers, about 1,000 flows', () => {
  const flows: Flow[] = [];
  const refused: { caller: string; retryAfter: number | undefined }[] = [];
  const createMs: number[] = [];
  const resultMs: number[] = [];
  let elapsedMs = 0;

  beforeAll(async () => {
    const callers = [
      ...Array.from({ length: HONEST }, (_, i) => ({ caller: `HONEST${i}`, abusive: false })),
      ...Array.from({ length: ABUSIVE }, (_, i) => ({ caller: `ABUSIVE${i}`, abusive: true })),
    ];
    const started = performance.now();
    await pool(callers, callers.length, async ({ caller, abusive }) => {
      const client = clientAs(stack, caller);
      for (let i = 0; abusive || i < HONEST_FLOWS; i++) {
        const live = !abusive && !HONEST_FAILURES.has(i);
        const flow = await runFlow(client, caller, live, NOT_LIVE[i % NOT_LIVE.length]!);
        if (flow === 'LOCKED_OUT') return;
        flows.push(flow);
      }
    });
    elapsedMs = performance.now() - started;

    async function runFlow(
      client: LivenessClient,
      caller: string,
      live: boolean,
      failure: object,
    ): Promise<Flow | 'LOCKED_OUT'> {
      let t = performance.now();
      let sessionId: string;
      try {
        ({ sessionId } = await client.createSession());
      } catch (error) {
        if (error instanceof LivenessApiError && error.code === 'LOCKED_OUT') {
          refused.push({ caller, retryAfter: error.retryAfterSeconds });
          return 'LOCKED_OUT';
        }
        throw error;
      }
      createMs.push(performance.now() - t);
      await stack.emulator.sessions.complete(sessionId, live ? {} : failure);
      t = performance.now();
      const result = await client.getResult(sessionId);
      resultMs.push(performance.now() - t);
      expect(result).toMatchObject({ sessionId, done: true, isLive: live });
      return { caller, sessionId, live };
    }

    const requests = createMs.length + resultMs.length + refused.length;
    console.log(
      [
        `load: ${flows.length} complete flows + ${refused.length} lockouts from ${HONEST + ABUSIVE} concurrent callers in ${(elapsedMs / 1000).toFixed(1)} s`,
        `      ${(flows.length / (elapsedMs / 1000)).toFixed(0)} flows/s, ${(requests / (elapsedMs / 1000)).toFixed(0)} API requests/s`,
        `      ${latencyLine('create', createMs)}`,
        `      ${latencyLine('result', resultMs)}`,
      ].join('\n'),
    );
  }, 120_000);

  it('completes every flow it planned', () => {
    expect(flows).toHaveLength(HONEST * HONEST_FLOWS + ABUSIVE * LOCKOUT_AFTER);
    expect(flows.filter((f) => !f.live)).toHaveLength(HONEST * HONEST_FAILURES.size + ABUSIVE * LOCKOUT_AFTER);
  });

  it('locks out exactly the abusive callers, each at its sixth create, with the remaining 30 minutes in Retry-After', () => {
    expect(refused.map((r) => r.caller).sort()).toEqual(
      Array.from({ length: ABUSIVE }, (_, i) => `ABUSIVE${i}`).sort(),
    );
    for (const { retryAfter } of refused) {
      expect(retryAfter).toBeGreaterThan(1700);
      expect(retryAfter).toBeLessThanOrEqual(1800);
    }
  });

  it('records every session exactly once, with its owner and its one verdict', async () => {
    const { sessions } = await tableItems(stack.dynamo);
    const byId = new Map(sessions.map((s) => [s.sessionId, s]));
    const flowOwners = new Set(flows.map((flow) => ownerRefOf(stack, flow.caller)));
    expect(sessions.filter((s) => flowOwners.has(String(s.owner)))).toHaveLength(flows.length);
    for (const flow of flows) {
      expect(byId.get(flow.sessionId)).toMatchObject({
        owner: ownerRefOf(stack, flow.caller),
        isLive: flow.live,
        decidedAt: expect.any(String),
        threshold: 80,
      });
    }
  });

  it('counts every failed check exactly once, per caller', async () => {
    const { owners } = await tableItems(stack.dynamo);
    const byOwner = new Map(owners.map((o) => [o.owner, o]));
    for (const caller of new Set(flows.map((f) => f.caller))) {
      const failed = flows
        .filter((f) => f.caller === caller && !f.live)
        .map((f) => f.sessionId)
        .sort();
      const owner = byOwner.get(ownerRefOf(stack, caller));
      expect(Object.keys(owner?.failures as object).sort()).toEqual(failed);
      // One successful optimistic write per counted failure: no update lost, none repeated.
      expect(owner?.version).toBe(failed.length);
      if (caller.startsWith('ABUSIVE')) {
        expect(owner).toMatchObject({ lockouts: 1, lockedUntil: expect.any(Number) });
        expect(owner!.lockedUntil as number).toBeGreaterThan(Date.now() + 1_700_000);
      } else {
        expect(owner).toMatchObject({ lockouts: 0, lockedUntil: 0 });
      }
    }
  });
});

describe('one caller, 20 failures at the same moment, each read three times at once', () => {
  it('decides exactly 5 failures (the lockout maximum), starts one lockout, refuses the rest, and every read of a session agrees', async () => {
    // GIVEN 20 sessions of SWARM, all created before any failure, all failed
    const client = clientAs(stack, 'SWARM');
    const ids = await Promise.all(Array.from({ length: 20 }, async () => (await client.createSession()).sessionId));
    await Promise.all(ids.map((id) => stack.emulator.sessions.complete(id, { confidence: 1 })));

    // WHEN all 60 reads go out at once (a read that loses the optimistic race too often is a 429: retried here at once)
    let contended = 0;
    const reads = await Promise.all(
      ids.flatMap((id) =>
        [0, 1, 2].map(async () => {
          for (;;) {
            const r = await raw(stack, 'GET', `/sessions/${id}/result`, 'SWARM');
            // Each read carries a fresh attestation of the verdict: compare the verdicts without it.
            if (r.status === 200)
              return { id, status: r.status, body: JSON.stringify({ ...JSON.parse(r.body), attestation: undefined }) };
            if (errorCode(r) === 'LOCKED_OUT') return { id, status: r.status, body: 'LOCKED_OUT' };
            expect(errorCode(r)).toBe('THROTTLED');
            contended++;
          }
        }),
      ),
    );
    console.log(
      `swarm: 60 concurrent reads of 20 failing sessions of one caller; ${contended} answered 429 after exhausting the optimistic-lock retries`,
    );

    // THEN 5 sessions have a failed verdict, counted once each; the other 15 were refused and have no verdict
    const { owners, sessions } = await tableItems(stack.dynamo);
    const decided = sessions.filter((s) => ids.includes(String(s.sessionId)) && s.decidedAt !== undefined);
    expect(decided).toHaveLength(LOCKOUT_AFTER);
    for (const s of decided) expect(s.isLive).toBe(false);
    const swarm = owners.find((o) => o.owner === ownerRefOf(stack, 'SWARM'));
    expect(Object.keys(swarm?.failures as object).sort()).toEqual(decided.map((s) => String(s.sessionId)).sort());
    expect(swarm).toMatchObject({ lockouts: 1, version: LOCKOUT_AFTER });
    // A decided session reads the same each time; an undecided one is refused each time.
    for (const id of ids) expect(new Set(reads.filter((r) => r.id === id).map((r) => r.body)).size).toBe(1);
    expect(reads.filter((r) => r.status === 200)).toHaveLength(LOCKOUT_AFTER * 3);
  });
});
