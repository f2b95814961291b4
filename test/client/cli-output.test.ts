/** The CLI's verdict line reads as sentences: the server's message, then the feedback codes. */
import type { FinishedResult } from '../../contract/api-types';
import { formatVerdict } from '../../cli/output';

const notLive = (extra: Partial<FinishedResult>): FinishedResult =>
  ({
    sessionId: '0123456789abcdef',
    status: 'SUCCEEDED',
    done: true,
    isLive: false,
    reason: 'LOW_CONFIDENCE',
    feedback: ['LOW_LIGHTING_DETECTED', 'FACE_TOO_FAR'],
    ...extra,
  }) as FinishedResult;

test.each([
  [
    'a message ending with its stop',
    { message: 'Please try again.' },
    '✘ not live: LOW_CONFIDENCE — Please try again. Feedback: LOW_LIGHTING_DETECTED, FACE_TOO_FAR. (session 01234567…)',
  ],
  [
    'a message without a stop gets one',
    { message: 'Please try again' },
    '✘ not live: LOW_CONFIDENCE — Please try again. Feedback: LOW_LIGHTING_DETECTED, FACE_TOO_FAR. (session 01234567…)',
  ],
  [
    'no message',
    { message: undefined },
    '✘ not live: LOW_CONFIDENCE — Feedback: LOW_LIGHTING_DETECTED, FACE_TOO_FAR. (session 01234567…)',
  ],
  [
    'no feedback',
    { message: 'Please try again.', feedback: [] },
    '✘ not live: LOW_CONFIDENCE — Please try again. (session 01234567…)',
  ],
])('%s', (_, extra, line) => {
  const text = formatVerdict(notLive(extra as Partial<FinishedResult>));
  expect(text).toBe(line);
  expect(text).not.toMatch(/\.;|;/);
});
