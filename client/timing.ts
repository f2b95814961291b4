/** Time, waiting and backoff, kept behind one small interface so tests and simulations can replace the clock. */

export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** The error an aborted signal stands for: its `reason`, or an `AbortError` for runtimes that lack one. */
export function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}

/** By name, not `instanceof`: the DOMException of an aborted fetch may come from another realm. */
export function isAbortError(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'AbortError' || name === 'TimeoutError';
}

/**
 * `Retry-After` in seconds. RFC 9110 allows delta-seconds or an HTTP date; this API sends seconds, but a proxy or CDN
 * in front of it may send a date. Returns undefined for a missing or unusable value.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

export interface BackoffOptions {
  /** First delay, ms. @default 500 */
  readonly baseMs?: number;
  /** Largest delay, ms. @default 5000 */
  readonly maxMs?: number;
}

/**
 * Capped exponential backoff with "equal jitter": half the step is fixed, half random. Full jitter could draw ~0 ms and
 * hammer a throttled API; equal jitter still spreads clients out while guaranteeing a real pause.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 5000;
  const step = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * One signal that aborts when any input does, plus a cleanup. `AbortSignal.any` would do this, but it is too recent
 * for some browsers this client targets.
 */
export function linkSignals(signals: readonly (AbortSignal | undefined)[]): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const cleanups: (() => void)[] = [];
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) {
      controller.abort(abortReason(s));
      break;
    }
    const onAbort = (): void => controller.abort(abortReason(s));
    s.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => s.removeEventListener('abort', onAbort));
  }
  return {
    signal: controller.signal,
    dispose: () => {
      for (const c of cleanups) c();
    },
  };
}
