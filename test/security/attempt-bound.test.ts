/**
 * Lockout bypass by pre-created sessions, as a fixed case through local mode: an owner pre-creates sessions before
 * any failure, fails them all at once, and then completes one more live. However the reads are ordered, at most the
 * lockout's maximum of failures is decided, and no live verdict is handed out while the owner is locked out.
 */
import type { LocalBackend } from '../../local/stack';
import { tableItems } from '../support/session-table';
import { clientAs, errorCode, ownerRefOf, raw, startSecurityBackend } from './support';

const MAX_FAILURES = 5;
let stack: LocalBackend;

beforeAll(async () => {
  stack = await startSecurityBackend({ scripted: true });
});
afterAll(() => stack.close());

describe('lockout bypass by pre-created sessions', () => {
  it('decides at most 5 failures of 12 pre-created sessions read at once, and refuses a live verdict while locked', async () => {
    // GIVEN 13 sessions of one owner, all created before any failure; 12 of them fail, the last will pass
    const client = clientAs(stack, 'PRECREATOR');
    const ids = await Promise.all(Array.from({ length: 13 }, async () => (await client.createSession()).sessionId));
    const failing = ids.slice(0, 12);
    const live = ids[12]!;
    await Promise.all(failing.map((id) => stack.emulator.sessions.complete(id, { confidence: 1 })));

    // WHEN the 12 failed sessions are read at the same time (a contended read answers THROTTLED: retried)
    const statuses = await Promise.all(
      failing.map(async (id) => {
        for (;;) {
          const r = await raw(stack, 'GET', `/sessions/${id}/result`, 'PRECREATOR');
          if (r.status !== 429 || errorCode(r) !== 'THROTTLED') return r;
        }
      }),
    );

    // THEN exactly 5 failures were decided, the other 7 reads were refused with 429 LOCKED_OUT and a Retry-After
    const decided = statuses.filter((r) => r.status === 200);
    expect(decided).toHaveLength(MAX_FAILURES);
    for (const r of decided) expect(JSON.parse(r.body)).toMatchObject({ done: true, isLive: false });
    const refused = statuses.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(12 - MAX_FAILURES);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(errorCode(r)).toBe('LOCKED_OUT');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(1700);
    }
    const { sessions, owners } = await tableItems(stack.dynamo);
    expect(sessions.filter((s) => failing.includes(String(s.sessionId)) && s.decidedAt !== undefined)).toHaveLength(
      MAX_FAILURES,
    );
    expect(
      Object.keys(owners.find((o) => o.owner === ownerRefOf(stack, 'PRECREATOR'))?.failures as object),
    ).toHaveLength(MAX_FAILURES);

    // AND the pre-created session that then passes is not live while the owner is locked out
    await stack.emulator.sessions.complete(live, { confidence: 99 });
    const liveRead = await raw(stack, 'GET', `/sessions/${live}/result`, 'PRECREATOR');
    expect(liveRead.status).toBe(429);
    expect(errorCode(liveRead)).toBe('LOCKED_OUT');
    expect(liveRead.body).not.toContain('isLive');
  }, 60_000);
});
