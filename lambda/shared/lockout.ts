/**
 * The failure lockout, as a pure function of an owner's state (AWS's usage guidance: at most 5 failed checks per device
 * in 3 minutes, then a 30–60 minute timeout; block a device that keeps doing it).
 *
 * - A failed check is a verdict that is not live (any reason), timed at its verdict (`decidedAt`).
 * - Failures are counted in a sliding window (`windowMs`). The failure that brings the count within the window to
 *   `maxFailures` starts a lockout: at most `maxFailures` failed checks happen per window, as AWS advises.
 * - The n-th lockout in a row lasts `lockoutMs × backoffFactor^(n-1)`, capped at `maxLockoutMs`. The count of lockouts
 *   in a row is forgotten once an owner has had no lockout for `maxLockoutMs` after the last one ended.
 * - Each session counts at most once: the owner's state remembers which sessions it counted (per-session guard), and a
 *   failure already outside the window can no longer change any decision, so it is not counted at all.
 * - Failures seen during a lockout are remembered (for the guard and the window) but do not extend the lockout.
 */
import { MAX_TRACKED_FAILURES } from '../../contract/session-table-schema';
import type { LockoutPolicy } from './config';

export interface OwnerState {
  /** sessionId → epoch ms of its failed verdict, only those within the window matter. */
  readonly failures: Readonly<Record<string, number>>;
  /** Epoch ms; 0 when never locked. */
  readonly lockedUntil: number;
  /** Lockouts in a row. */
  readonly lockouts: number;
  /** Optimistic-locking counter of the stored item; 0 when there is no item yet. */
  readonly version: number;
}

export const EMPTY_OWNER_STATE: OwnerState = { failures: {}, lockedUntil: 0, lockouts: 0, version: 0 };

export interface FailureUpdate {
  readonly state: OwnerState;
  /** True when this failure started a lockout. */
  readonly lockStarted: boolean;
  /** Epoch seconds after which the owner item no longer matters (its DynamoDB TTL). */
  readonly expiresAtSeconds: number;
}

/** The owner's next state after a failed check, or undefined when nothing changes (counted already, too old, off). */
export function applyFailure(
  state: OwnerState,
  failure: { readonly sessionId: string; readonly failedAt: number },
  now: number,
  policy: LockoutPolicy,
): FailureUpdate | undefined {
  if (!countsFailure(failure.failedAt, now, policy)) return undefined;
  if (Object.hasOwn(state.failures, failure.sessionId)) return undefined;

  const windowStart = now - policy.windowMs;
  const kept = Object.entries(state.failures)
    .filter(([, at]) => typeof at === 'number' && at > windowStart)
    .concat([[failure.sessionId, failure.failedAt]])
    .sort(([, a], [, b]) => a - b)
    .slice(-MAX_TRACKED_FAILURES);

  const forgotten = state.lockedUntil + policy.maxLockoutMs <= now;
  let lockouts = forgotten ? 0 : state.lockouts;
  let { lockedUntil } = state;
  let lockStarted = false;
  if (lockedUntil <= now && kept.length >= policy.maxFailures) {
    lockouts += 1;
    lockedUntil = now + lockoutDurationMs(lockouts, policy);
    lockStarted = true;
  }
  const lastFailure = Math.max(...kept.map(([, at]) => at));
  const expiresAtSeconds = Math.ceil(Math.max(lastFailure + policy.windowMs, lockedUntil + policy.maxLockoutMs) / 1000);
  return {
    state: { failures: Object.fromEntries(kept), lockedUntil, lockouts, version: state.version + 1 },
    lockStarted,
    expiresAtSeconds,
  };
}

/** Whether a failure at `failedAt` can still matter: the lockout is on and the failure is inside the window. */
export function countsFailure(failedAt: number, now: number, policy: LockoutPolicy): boolean {
  return policy.maxFailures > 0 && failedAt > now - policy.windowMs;
}

export function lockoutDurationMs(lockouts: number, policy: LockoutPolicy): number {
  return Math.min(
    Math.round(policy.lockoutMs * policy.backoffFactor ** Math.max(0, lockouts - 1)),
    policy.maxLockoutMs,
  );
}

/** Seconds until a lockout ends, for Retry-After: at least 1 while it lasts. */
export function retryAfterSeconds(lockedUntil: number, now: number): number {
  return Math.max(1, Math.ceil((lockedUntil - now) / 1000));
}
