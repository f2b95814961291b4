/** The failure lockout as a pure function: examples of AWS's guidance, then properties against a reference model. */
import fc from 'fast-check';
import {
  applyFailure,
  EMPTY_OWNER_STATE,
  lockoutDurationMs,
  retryAfterSeconds,
  type OwnerState,
} from '../../lambda/shared/lockout';
import type { LockoutPolicy } from '../../lambda/shared/config';

const POLICY: LockoutPolicy = {
  maxFailures: 5,
  windowMs: 180_000,
  lockoutMs: 1_800_000,
  backoffFactor: 2,
  maxLockoutMs: 86_400_000,
};
const T0 = 1_800_000_000_000;

function fail(state: OwnerState, sessionId: string, at: number, policy: LockoutPolicy = POLICY) {
  return applyFailure(state, { sessionId, failedAt: at }, at, policy);
}

function failMany(
  count: number,
  start: number,
  stepMs: number,
  state: OwnerState = EMPTY_OWNER_STATE,
  prefix = 's',
): { state: OwnerState; started: number[] } {
  const started: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + i * stepMs;
    const update = fail(state, `${prefix}-${start}-${i}`, at);
    if (update === undefined) continue;
    state = update.state;
    if (update.lockStarted) started.push(at);
  }
  return { state, started };
}

describe('applyFailure', () => {
  it('allows four failed checks in 3 minutes and locks on the fifth, for 30 minutes', () => {
    const four = failMany(4, T0, 10_000);
    expect(four.started).toEqual([]);
    const fifth = fail(four.state, 'fifth', T0 + 50_000)!;
    expect(fifth.lockStarted).toBe(true);
    expect(fifth.state.lockedUntil).toBe(T0 + 50_000 + 1_800_000);
    expect(fifth.state.lockouts).toBe(1);
  });

  it('does not lock five failures spread over more than 3 minutes', () => {
    expect(failMany(5, T0, 46_000).started).toEqual([]);
  });

  it('counts a session once', () => {
    const first = fail(EMPTY_OWNER_STATE, 'same', T0)!;
    expect(fail(first.state, 'same', T0 + 1000)).toBeUndefined();
  });

  it('ignores a failure already outside the window (a late retry cannot count twice)', () => {
    expect(applyFailure(EMPTY_OWNER_STATE, { sessionId: 'old', failedAt: T0 }, T0 + 180_000, POLICY)).toBeUndefined();
  });

  it('does nothing when the lockout is off', () => {
    expect(fail(EMPTY_OWNER_STATE, 'a', T0, { ...POLICY, maxFailures: 0 })).toBeUndefined();
  });

  it('doubles repeated lockouts (30 min, 1 h, 2 h, …) up to the cap, and does not extend a running one', () => {
    let state = EMPTY_OWNER_STATE;
    const durations: number[] = [];
    let t = T0;
    for (let round = 0; round < 8; round++) {
      const r = failMany(6, t, 1000, state, `r${round}`);
      state = r.state;
      expect(r.started).toHaveLength(1);
      durations.push(state.lockedUntil - r.started[0]!);
      t = state.lockedUntil + 1000;
    }
    expect(durations).toEqual([
      1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 57_600_000, 86_400_000, 86_400_000,
    ]);
  });

  it('forgets the lockouts in a row after a day without one', () => {
    const first = failMany(5, T0, 1000).state;
    const later = failMany(5, first.lockedUntil + 86_400_000, 1000, first, 'later');
    expect(later.state.lockouts).toBe(1);
    expect(later.state.lockedUntil - later.started[0]!).toBe(1_800_000);
  });

  it('keeps only failures inside the window, and at most 100', () => {
    const many = failMany(150, T0, 100).state;
    expect(Object.keys(many.failures)).toHaveLength(100);
    const after = fail(many, 'late', T0 + 15_000 + 180_000)!;
    expect(
      Object.keys(after.state.failures).every((id) => id === 'late' || after.state.failures[id]! > T0 + 15_000),
    ).toBe(true);
  });

  it('gives the owner item a TTL after which nothing in it matters', () => {
    const locked = fail(failMany(4, T0, 1000).state, 'x', T0 + 5000)!;
    expect(locked.expiresAtSeconds).toBe(Math.ceil((locked.state.lockedUntil + POLICY.maxLockoutMs) / 1000));
  });
});

describe('lockoutDurationMs and retryAfterSeconds', () => {
  it('grows by the factor and stops at the cap', () => {
    expect([1, 2, 3].map((n) => lockoutDurationMs(n, { ...POLICY, backoffFactor: 1.5 }))).toEqual([
      1_800_000, 2_700_000, 4_050_000,
    ]);
    expect(lockoutDurationMs(40, POLICY)).toBe(POLICY.maxLockoutMs);
  });

  it('rounds up and is at least 1 s', () => {
    expect(retryAfterSeconds(T0 + 1, T0)).toBe(1);
    expect(retryAfterSeconds(T0 + 1_800_000, T0)).toBe(1800);
    expect(retryAfterSeconds(T0 + 1_799_001, T0)).toBe(1800);
  });
});

describe('properties', () => {
  /** A reference model written the naive way: replay every distinct failure in time order. */
  function model(events: readonly { id: string; at: number }[], policy: LockoutPolicy): number[] {
    const seen = new Set<string>();
    const counted: number[] = [];
    const starts: number[] = [];
    let lockedUntil = 0;
    let lockouts = 0;
    for (const { id, at } of events) {
      if (seen.has(id)) continue;
      seen.add(id);
      counted.push(at);
      if (lockedUntil + policy.maxLockoutMs <= at) lockouts = 0;
      const inWindow = counted.filter((t) => t > at - policy.windowMs).length;
      if (lockedUntil <= at && inWindow >= policy.maxFailures) {
        lockouts++;
        lockedUntil =
          at + Math.min(Math.round(policy.lockoutMs * policy.backoffFactor ** (lockouts - 1)), policy.maxLockoutMs);
        starts.push(at);
      }
    }
    return starts;
  }

  const policyArb = fc.record({
    maxFailures: fc.integer({ min: 1, max: 6 }),
    windowMs: fc.integer({ min: 1000, max: 60_000 }),
    lockoutMs: fc.integer({ min: 1000, max: 120_000 }),
    backoffFactor: fc.constantFrom(1, 1.5, 2, 3),
    maxLockoutMs: fc.integer({ min: 120_000, max: 600_000 }),
  });
  // Reads of failed sessions in time order, some of them the same session read again later: a session's failure is
  // timed at its verdict (its first read here), so a re-read carries that original time.
  const eventsArb = fc
    .array(fc.record({ id: fc.integer({ min: 0, max: 30 }).map(String), gap: fc.integer({ min: 0, max: 20_000 }) }), {
      maxLength: 80,
    })
    .map((raw) => {
      let t = T0;
      const decided = new Map<string, number>();
      return raw.map(({ id, gap }) => {
        t += gap;
        if (!decided.has(id)) decided.set(id, t);
        return { id, at: t, failedAt: decided.get(id)! };
      });
    });

  it('starts exactly the lockouts the reference model starts, counting each session once', () => {
    fc.assert(
      fc.property(policyArb, eventsArb, (policy, events) => {
        let state = EMPTY_OWNER_STATE;
        const starts: number[] = [];
        for (const { id, at, failedAt } of events) {
          const update = applyFailure(state, { sessionId: id, failedAt }, at, policy);
          if (update === undefined) continue;
          expect(update.state.version).toBe(state.version + 1);
          state = update.state;
          if (update.lockStarted) starts.push(at);
        }
        expect(starts).toEqual(model(events, policy));
      }),
      { numRuns: 1000 },
    );
  });

  it('never starts a lockout while one runs, and every lockout lasts between lockoutMs and the cap', () => {
    fc.assert(
      fc.property(policyArb, eventsArb, (policy, events) => {
        let state = EMPTY_OWNER_STATE;
        for (const { id, at, failedAt } of events) {
          const update = applyFailure(state, { sessionId: id, failedAt }, at, policy);
          if (update === undefined) continue;
          if (update.lockStarted) {
            expect(state.lockedUntil).toBeLessThanOrEqual(at);
            const length = update.state.lockedUntil - at;
            expect(length).toBeGreaterThanOrEqual(Math.min(policy.lockoutMs, policy.maxLockoutMs));
            expect(length).toBeLessThanOrEqual(policy.maxLockoutMs);
          } else {
            expect(update.state.lockedUntil).toBe(state.lockedUntil);
          }
          state = update.state;
        }
      }),
      { numRuns: 500 },
    );
  });
});
