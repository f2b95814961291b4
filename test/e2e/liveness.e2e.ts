/**
 * The example app end to end, in Debian's Chromium with a fake camera playing a real face: the real
 * FaceLivenessDetector, the real handlers behind the local API, the control-plane emulator and the streaming emulator.
 * Every scenario asserts on what the person sees and saves a screenshot of its last screen in test-artifacts/e2e/.
 */
import type { Browser } from 'playwright-core';
import { SESSION_TTL_SECONDS } from '../../contract/liveness-model';
import { createLivenessClient } from '../../client';
import {
  apiResult,
  assertPrepared,
  ownerIdentityOf,
  launchBrowser,
  openCheckPage,
  startE2eStack,
  type CheckPage,
  type E2eStack,
} from './harness';
import { CHECK_TIMEOUT_MS, expectText, liveScenario, notLiveThenRetryScenario } from './scenarios';

let browser: Browser;
let stack: E2eStack;
let check: CheckPage;
const log: string[] = [];

beforeAll(async () => {
  assertPrepared();
  [browser, stack] = await Promise.all([launchBrowser(), startE2eStack({ log: (line) => log.push(line) })]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

beforeEach(async () => {
  stack.clock.reset();
  stack.streaming.clearFaults();
  check = await openCheckPage(browser, stack);
});

afterEach(async () => {
  const state = expect.getState();
  await check.screenshot(state.currentTestName!.replace(/\W+/g, '-').toLowerCase());
  await check.close();
  // The page never left the machine: no CDN, no AWS endpoint, nothing but 127.0.0.1 and the routed stream.
  expect(check.offMachineRequests).toEqual([]);
  expect(check.cspViolations).toEqual([]);
});

function lastConnection() {
  return stack.streaming.connections.at(-1)!;
}

test('live: the person sees "verified" and the API says isLive', async () => {
  await liveScenario(stack, check);
});

test('not live: the person sees "not verified" with advice, and "try again" uses a new session', async () => {
  await notLiveThenRetryScenario(stack, check);
});

test('failure: the stream breaks, the person sees what happened and can retry', async () => {
  // GIVEN the streaming endpoint drops the connection after the first second of video
  stack.scriptOutcome({ status: 'SUCCEEDED', confidence: 99 });
  stack.streaming.injectFault({ kind: 'close', afterVideoChunks: 1, code: 1011, reason: 'Internal error' });
  await check.open();

  // WHEN the check runs
  await check.page.getByRole('button', { name: 'Start check' }).click();

  // THEN the person sees a plain explanation and a way to retry
  await check.page
    .getByRole('heading', { name: 'The connection was interrupted' })
    .waitFor({ timeout: CHECK_TIMEOUT_MS });
  await expectText(check, 'We lost the connection to the verification service during the check. Try again.');
  await check.page.getByRole('button', { name: 'Try again' }).waitFor();
  // AND the broken session is over, not live
  expect(await apiResult(stack, check.sessionIds[0]!)).toMatchObject({
    status: 'FAILED',
    done: true,
    isLive: false,
    reason: 'SESSION_FAILED',
  });
});

test('local mode (npm start): the movement-only challenge over a real WebSocket to the streaming emulator', async () => {
  // GIVEN the app as `npm start` serves it, without Playwright's WebSocket routing
  await check.close();
  check = await openCheckPage(browser, stack, { routeStreaming: false });
  stack.scriptOutcome({ status: 'SUCCEEDED', confidence: 91 });
  await check.open(stack.localApp.url);

  // WHEN the check runs
  await check.page.getByRole('button', { name: 'Start check' }).click();

  // THEN the person is verified, and the stream went through the local endpoint
  await check.page.getByRole('heading', { name: /You.re verified/ }).waitFor({ timeout: CHECK_TIMEOUT_MS });
  const connection = stack.localApp.streaming.connections.at(-1)!;
  expect(connection).toMatchObject({
    sessionId: check.sessionIds[0],
    challengeType: 'FaceMovementChallenge',
    colorsDisplayed: 0,
    state: expect.stringMatching(/ended|closed/),
  });
  expect(connection.videoChunks).toBeGreaterThan(0);
});

test('two browsers are two identities: one locked out after failed checks, the other still verified', async () => {
  // GIVEN browser A, with its own guest identity from the identity pool stand-in, fails one check in the app
  stack.scriptOutcome({ status: 'SUCCEEDED', confidence: 5 });
  await check.open();
  await check.page.getByRole('button', { name: 'Start check' }).click();
  await check.page.getByRole('heading', { name: /We couldn.t verify you/ }).waitFor({ timeout: CHECK_TIMEOUT_MS });
  const identityA = await ownerIdentityOf(stack, check.sessionIds[0]!);
  // AND more failures of the same identity, through the API, up to the lockout (settings: 5 within the window)
  const asA = createLivenessClient({
    apiUrl: stack.local.api.url,
    region: 'us-east-1',
    credentials: stack.local.identity.pool.getCredentialsForIdentity(identityA),
  });
  const scripted = stack.local.emulator.defaults.get();
  stack.local.emulator.defaults.set({
    autoComplete: true,
    startAfterMs: 0,
    completeAfterMs: 0,
    outcome: { status: 'SUCCEEDED', confidence: 5 },
  });
  try {
    for (let i = 0; i < 4; i++) {
      const s = await asA.createSession();
      await asA.waitForResult(s.sessionId);
    }
  } finally {
    // Sessions of the next scenarios wait for their stream again.
    stack.local.emulator.defaults.set(scripted);
  }

  // WHEN A tries again in the app
  await check.page.getByRole('button', { name: 'Try again' }).click();

  // THEN A is told it is locked out, with the wait in minutes
  await check.page.locator('[data-problem="LOCKED_OUT"]').waitFor({ timeout: CHECK_TIMEOUT_MS });
  await check.page.getByText(/Try again in 30 minutes\./).waitFor({ timeout: 5_000 });

  // AND browser B, another identity in the same `npm start`, is not locked out and gets verified
  const b = await openCheckPage(browser, stack);
  try {
    stack.scriptOutcome({ status: 'SUCCEEDED', confidence: 97 });
    await b.open();
    await b.page.getByRole('button', { name: 'Start check' }).click();
    await b.page.getByRole('heading', { name: /You.re verified/ }).waitFor({ timeout: CHECK_TIMEOUT_MS });
    const identityB = await ownerIdentityOf(stack, b.sessionIds[0]!);
    expect(identityB).not.toBe(identityA);
  } finally {
    await b.close();
  }
});

afterEach(async () => {
  // No lockout left behind for the next scenarios (each page is a new identity anyway).
  await stack.local.dynamo.clearLockouts();
});

describe('a session that cannot be used is refused and shown', () => {
  /** Lets the real API create the session, then acts on it before the page receives it. */
  async function beforeThePageGetsTheSession(act: (sessionId: string) => void): Promise<void> {
    await check.page.route(`${stack.local.api.url}/sessions`, async (route) => {
      const response = await route.fetch();
      if (response.status() === 201) act(((await response.json()) as { sessionId: string }).sessionId);
      await route.fulfill({ response });
    });
  }

  test('expired: its 3 minutes passed before the stream started', async () => {
    // GIVEN the session's life runs out between its creation and the first frame
    await beforeThePageGetsTheSession(() => stack.clock.advance((SESSION_TTL_SECONDS + 1) * 1000));
    await check.open();

    // WHEN the detector tries to stream it
    await check.page.getByRole('button', { name: 'Start check' }).click();

    // THEN the stream is refused and the person is asked to start a new check
    await check.page
      .getByRole('heading', { name: 'This check is no longer valid' })
      .waitFor({ timeout: CHECK_TIMEOUT_MS });
    expect(lastConnection()).toMatchObject({ state: 'refused', exception: { type: 'SessionNotFoundException' } });
    expect(await apiResult(stack, check.sessionIds[0]!)).toMatchObject({
      status: 'EXPIRED',
      isLive: false,
      reason: 'SESSION_EXPIRED',
    });
    await check.page.getByRole('button', { name: 'Try again' }).waitFor();
  });

  test('reused: another client already streamed it', async () => {
    // GIVEN someone else starts streaming the session first
    await beforeThePageGetsTheSession((sessionId) => stack.local.emulator.sessions.markStreaming(sessionId));
    await check.open();

    // WHEN the detector tries to stream it
    await check.page.getByRole('button', { name: 'Start check' }).click();

    // THEN the stream is refused and the person is asked to start a new check
    await check.page
      .getByRole('heading', { name: 'This check is no longer valid' })
      .waitFor({ timeout: CHECK_TIMEOUT_MS });
    expect(lastConnection()).toMatchObject({ state: 'refused', exception: { type: 'ValidationException' } });
    await check.page.getByRole('button', { name: 'Try again' }).waitFor();
  });
});
