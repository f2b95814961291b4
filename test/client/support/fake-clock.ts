import type { Clock } from '../../../client/timing';

/** A clock whose sleeps return at once and move time forward, recording every requested delay. */
export function fakeClock(start = Date.now()): {
  clock: Clock;
  sleeps: number[];
  advance(ms: number): void;
  now(): number;
} {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: {
      now: () => now,
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        sleeps.push(ms);
        now += ms;
      },
    },
    sleeps,
    advance: (ms) => {
      now += ms;
    },
    now: () => now,
  };
}
