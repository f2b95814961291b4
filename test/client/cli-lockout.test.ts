/** The CLI tells a person how long a lockout lasts, in minutes (Retry-After is in seconds). */
import { LivenessApiError } from '../../client';
import { formatError, lockoutWait } from '../../cli/output';

describe('lockout wait', () => {
  test.each([
    [1800, '30 minutes'],
    [1741, '30 minutes'],
    [60, '1 minute'],
    [61, '2 minutes'],
    [45, '45 seconds'],
  ])('%i s -> %s', (seconds, text) => {
    expect(lockoutWait(seconds)).toBe(text);
  });

  test('a LOCKED_OUT error names the wait and, for the local default API, how to clear it', () => {
    const error = new LivenessApiError({
      status: 429,
      code: 'LOCKED_OUT',
      message: 'Too many failed liveness checks.',
      requestId: 'r',
      retryable: false,
      retryAfterSeconds: 1800,
    });
    expect(formatError(error, { defaultApi: true })).toMatch(/try again in 30 minutes.*_emulator\/lockouts/s);
    expect(formatError(error, {})).not.toContain('_emulator');
  });
});
