/** The example app's words for the person: every feedback code has advice, every failure a plain message. */
import { FEEDBACK_CODES } from '../../contract/liveness-model';
import { LivenessApiError, LivenessNetworkError, LivenessTimeoutError } from '../../client';
import { describeDetectorError, describeRequestError, FEEDBACK_ADVICE, REASON_TEXT } from '../../web/src/messages';

describe('advice', () => {
  test('one distinct piece of advice per Rekognition feedback code', () => {
    expect(Object.keys(FEEDBACK_ADVICE).sort()).toEqual([...FEEDBACK_CODES].sort());
    const texts = Object.values(FEEDBACK_ADVICE);
    expect(new Set(texts).size).toBe(texts.length);
    for (const text of texts) expect(text).toMatch(/^[A-Z].{10,100}\.$/);
  });

  test('every not-live reason has a sentence', () => {
    expect(Object.keys(REASON_TEXT).sort()).toEqual([
      'CHALLENGE_MISSING',
      'CHALLENGE_NOT_ALLOWED',
      'CHALLENGE_VERSION_TOO_OLD',
      'LOW_CONFIDENCE',
      'MISSING_REFERENCE_IMAGE',
      'SESSION_EXPIRED',
      'SESSION_FAILED',
    ]);
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

  test('a server-side fault quotes the request id for support', () => {
    expect(describeRequestError(api('BACKEND_MISCONFIGURED', 500, false)).message).toContain('req-1');
  });
});

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}
