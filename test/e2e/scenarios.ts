/**
 * Scenarios that every app built on the React component must pass, whatever serves it (web/ through the local web
 * server, examples/nextjs through `next start`): each asserts on what the person sees and on what the API says.
 */
import type { CheckPage, E2eStack } from './harness';
import { apiResult } from './harness';

/** One full check with face detection takes 6–9 s here; allow for a loaded 2-core machine. */
export const CHECK_TIMEOUT_MS = 45_000;

function lastConnection(stack: E2eStack) {
  return stack.streaming.connections.at(-1)!;
}

export async function liveScenario(stack: E2eStack, check: CheckPage, url?: string): Promise<void> {
  // GIVEN a session that Rekognition will judge live
  stack.scriptOutcome({ status: 'SUCCEEDED', confidence: 97.5, feedback: [] });
  await check.open(url);

  // WHEN the person starts the check and their face is filmed
  await check.page.getByRole('button', { name: 'Start check' }).click();

  // THEN they are told they are verified
  await check.page.getByRole('heading', { name: /You.re verified/ }).waitFor({ timeout: CHECK_TIMEOUT_MS });
  const sessionId = check.sessionIds[0]!;
  expect(lastConnection(stack)).toMatchObject({ sessionId, state: expect.stringMatching(/ended|closed/) });
  expect(lastConnection(stack)).toMatchObject({
    challengeType: 'FaceMovementAndLightChallenge',
    videoChunks: expect.any(Number),
  });
  expect(lastConnection(stack).videoChunks).toBeGreaterThan(0);
  expect(lastConnection(stack).colorsDisplayed).toBeGreaterThan(0);
  // AND our API gives the same verdict, without the score
  const result = await apiResult(stack, sessionId);
  expect(result).toMatchObject({ sessionId, status: 'SUCCEEDED', done: true, isLive: true, feedback: [] });
  expect(result).not.toHaveProperty('confidence');
}

export async function notLiveThenRetryScenario(stack: E2eStack, check: CheckPage, url?: string): Promise<void> {
  // GIVEN a session that Rekognition will judge not live, with feedback
  stack.scriptOutcome({
    status: 'SUCCEEDED',
    confidence: 12,
    feedback: [{ code: 'LOW_LIGHTING_DETECTED' }, { code: 'FACE_OBSTRUCTION_DETECTED' }],
  });
  await check.open(url);

  // WHEN the check runs
  await check.page.getByRole('button', { name: 'Start check' }).click();

  // THEN the person is told they were not verified, with plain advice for each feedback code
  await check.page.getByRole('heading', { name: /We couldn.t verify you/ }).waitFor({ timeout: CHECK_TIMEOUT_MS });
  await expectText(check, 'We could not confirm that you are a live person in front of the camera.');
  await expectText(check, 'Find more light: face a window or a lamp.');
  await expectText(check, 'Remove anything covering your face: glasses, a mask, a hat or your hand.');
  const first = check.sessionIds[0]!;
  expect(await apiResult(stack, first)).toMatchObject({
    isLive: false,
    reason: 'LOW_CONFIDENCE',
    feedback: ['LOW_LIGHTING_DETECTED', 'FACE_OBSTRUCTION_DETECTED'],
  });
  await check.screenshot(`${url === undefined ? '' : 'nextjs-'}not-live-advice`);

  // WHEN they try again
  await check.page.getByRole('button', { name: 'Try again' }).click();

  // THEN a new session is created, and a fresh detector shows the camera and streams it
  await waitUntil(() => check.sessionIds.length === 2);
  const second = check.sessionIds[1]!;
  expect(second).not.toBe(first);
  await waitUntil(() => lastConnection(stack).sessionId === second && lastConnection(stack).state === 'streaming');
  // The fresh detector is recording (its "Rec" indicator), with the oval drawn.
  await check.page.getByText('Rec', { exact: true }).waitFor({ timeout: CHECK_TIMEOUT_MS });
}

export async function expectText(page: CheckPage, text: string): Promise<void> {
  await page.page.getByText(text, { exact: true }).waitFor({ timeout: 5_000 });
}

export async function waitUntil(condition: () => boolean, timeoutMs = CHECK_TIMEOUT_MS): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('Timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 50));
  }
}
