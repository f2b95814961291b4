/** The React entry's words for the person: every feedback code has advice, every failure a plain message, in every language. */
import { NOT_LIVE_REASONS } from '../../contract/api-types';
import { FEEDBACK_CODES } from '../../contract/liveness-model';
import { LivenessApiError, LivenessNetworkError, LivenessTimeoutError } from '../../client/errors';
import { describeDetectorError, describeRequestError } from '../../react/problems';
import { en, LIVENESS_MESSAGES, PROBLEM_CODES, resolveMessages } from '../../react/messages';

const LANGUAGES = Object.entries(LIVENESS_MESSAGES);

describe('languages', () => {
  test('English and at least four more', () => {
    expect(Object.keys(LIVENESS_MESSAGES).sort()).toEqual(['de', 'en', 'es', 'fr', 'pt']);
  });

  test.each(LANGUAGES)('%s: one distinct piece of advice per Rekognition feedback code', (_lang, messages) => {
    expect(Object.keys(messages.feedback).sort()).toEqual([...FEEDBACK_CODES].sort());
    const texts = Object.values(messages.feedback);
    expect(new Set(texts).size).toBe(texts.length);
    for (const text of texts) expect(text).toMatch(/^\p{Lu}.{10,110}\.$/u);
  });

  test.each(LANGUAGES)('%s: every not-live reason and every problem has its words', (_lang, messages) => {
    expect(Object.keys(messages.reasons).sort()).toEqual([...NOT_LIVE_REASONS].sort());
    expect(Object.keys(messages.problems).sort()).toEqual([...PROBLEM_CODES].sort());
    for (const { title, message } of Object.values(messages.problems)) {
      expect(title.length).toBeGreaterThan(3);
      expect(message).toMatch(/[.!]$/);
    }
    expect(messages.lockedOut(30)).toContain('30');
    expect(messages.supportReference('req-1')).toContain('req-1');
  });

  test.each(LANGUAGES.filter(([lang]) => lang !== 'en'))(
    '%s is translated, not a copy of English',
    (_lang, messages) => {
      const same = (Object.keys(en) as (keyof typeof en)[]).filter(
        (k) => typeof en[k] === 'string' && en[k] === messages[k],
      );
      expect(same).toEqual([]);
      expect(messages.lockedOut(2)).not.toBe(en.lockedOut(2));
    },
  );

  test('a problem is described in the chosen language', () => {
    const problem = describeDetectorError({ state: 'MULTIPLE_FACES_ERROR' }, resolveMessages('es'));
    expect(problem).toMatchObject({ code: 'MULTIPLE_FACES', title: 'Hay más de una cara' });
  });

  test('overrides replace single words and keep the rest; undefined overrides nothing', () => {
    const messages = resolveMessages('de-CH', {
      retryButton: 'Nochmal',
      problems: { NETWORK: { title: 'Offline' } },
      reasons: { LOW_CONFIDENCE: undefined },
    });
    expect(messages.retryButton).toBe('Nochmal');
    expect(messages.problems.NETWORK).toEqual({
      title: 'Offline',
      message: LIVENESS_MESSAGES.de!.problems.NETWORK.message,
    });
    expect(messages.reasons.LOW_CONFIDENCE).toBe(LIVENESS_MESSAGES.de!.reasons.LOW_CONFIDENCE);
    expect(messages.startButton).toBe('Prüfung starten');
  });
});

describe('describeDetectorError', () => {
  test.each([
    ['CAMERA_ACCESS_ERROR', undefined, 'CAMERA_ACCESS', true],
    ['DEFAULT_CAMERA_NOT_FOUND_ERROR', undefined, 'CAMERA_ACCESS', true],
    ['CAMERA_FRAMERATE_ERROR', undefined, 'CAMERA_FRAMERATE', true],
    ['TIMEOUT', undefined, 'FACE_FIT_TIMEOUT', true],
    ['FACE_DISTANCE_ERROR', undefined, 'FACE_TOO_CLOSE', true],
    ['MULTIPLE_FACES_ERROR', undefined, 'MULTIPLE_FACES', true],
    ['CONNECTION_TIMEOUT', new Error('Websocket connection timeout'), 'CONNECTION_TIMEOUT', true],
    ['RUNTIME_ERROR', new Error('boom'), 'RUNTIME_ERROR', true],
    ['SERVER_ERROR', named('SessionNotFoundException', 'Session 123 has expired'), 'SESSION_UNUSABLE', true],
    ['SERVER_ERROR', named('ValidationException', 'Session 123 has already been used'), 'SESSION_UNUSABLE', true],
    [
      'SERVER_ERROR',
      new Error('Server ended the connection unexpectedly (code 1011: Internal error)'),
      'STREAM_INTERRUPTED',
      true,
    ],
    ['SERVER_ERROR', named('ThrottlingException', 'Slow down'), 'BUSY', true],
    [
      'SERVER_ERROR',
      new Error('Invalid region in FaceLivenessDetector or credentials are scoped to the wrong region.'),
      'WRONG_REGION',
      false,
    ],
  ])('%s %#', (state, error, code, retry) => {
    const problem = describeDetectorError({ state, ...(error && { error }) });
    expect(problem).toMatchObject({ code, retry });
    // Plain words only: no exception names, codes or stack traces reach the person.
    expect(`${problem.title} ${problem.message}`).not.toMatch(/Exception|Error|code \d|_/);
  });
});

describe('describeRequestError', () => {
  const api = (
    code:
      | 'THROTTLED'
      | 'SERVICE_UNAVAILABLE'
      | 'BACKEND_MISCONFIGURED'
      | 'FORBIDDEN'
      | 'INVALID_SIGNATURE'
      | 'CREDENTIALS_EXPIRED',
    status: number,
    retryable: boolean,
  ) => new LivenessApiError({ status, code, message: 'x', requestId: 'req-1', retryable });

  test.each([
    ['THROTTLED', api('THROTTLED', 429, true), 'API_THROTTLED', true],
    ['SERVICE_UNAVAILABLE', api('SERVICE_UNAVAILABLE', 503, true), 'API_UNAVAILABLE', true],
    ['FORBIDDEN', api('FORBIDDEN', 403, false), 'API_FORBIDDEN', false],
    ['INVALID_SIGNATURE', api('INVALID_SIGNATURE', 403, false), 'API_SIGNATURE', true],
    ['CREDENTIALS_EXPIRED', api('CREDENTIALS_EXPIRED', 403, false), 'CREDENTIALS_EXPIRED', true],
    ['network', new LivenessNetworkError('down', { timedOut: false }), 'NETWORK', true],
    [
      'result timeout',
      new LivenessTimeoutError({ reason: 'TIMEOUT', sessionId: 's', message: 'late' }),
      'RESULT_TIMEOUT',
      true,
    ],
    ['anything else', new Error('what'), 'UNEXPECTED', true],
    [
      'a refused challenge is a client fault',
      new LivenessApiError({ status: 400, code: 'VALIDATION_ERROR', message: 'bad', retryable: false }),
      'API_ERROR',
      false,
    ],
  ])('%s', (_label, error, code, retry) => {
    expect(describeRequestError(error)).toMatchObject({ code, retry });
  });

  test('a lockout tells the person how many minutes to wait', () => {
    const locked = new LivenessApiError({
      status: 429,
      code: 'LOCKED_OUT',
      message: 'x',
      requestId: 'r',
      retryable: false,
      retryAfterSeconds: 1741,
    });
    expect(describeRequestError(locked)).toMatchObject({
      code: 'LOCKED_OUT',
      retry: false,
      message: expect.stringContaining('in 30 minutes'),
    });
  });

  test('a lockout without Retry-After says "later", and says it in the chosen language', () => {
    const locked = new LivenessApiError({ status: 429, code: 'LOCKED_OUT', message: 'x', retryable: false });
    expect(describeRequestError(locked).message).toBe('For your security, checks are paused. Try again later.');
    expect(describeRequestError(locked, resolveMessages('fr')).message).toContain('plus tard');
  });

  test('a server-side fault quotes the request id for support', () => {
    expect(describeRequestError(api('BACKEND_MISCONFIGURED', 500, false)).message).toContain('req-1');
  });
});

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}
