/**
 * The example app's identity flows in Debian's Chromium with the fake camera (person p1 of the emulator's synthetic
 * people): the page asks the demo app backend for a one-time token, the real detector streams, and the verdict's
 * identity outcome is shown in words. The demo backend, not the page, chooses the subject and the ID photo.
 */
import type { Browser } from 'playwright-core';
import { DEMO_SUBJECT } from '../../local/web/demo-backend';
import {
  apiResult,
  assertPrepared,
  launchBrowser,
  openCheckPage,
  startE2eStack,
  type CheckPage,
  type E2eStack,
} from './harness';
import { CHECK_TIMEOUT_MS, expectText } from './scenarios';

let browser: Browser;
let stack: E2eStack;
let check: CheckPage;

beforeAll(async () => {
  assertPrepared();
  [browser, stack] = await Promise.all([launchBrowser(), startE2eStack()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

beforeEach(async () => {
  check = await openCheckPage(browser, stack);
  // A live verdict; the camera plays p1, the emulator's default person.
  stack.scriptOutcome({ status: 'SUCCEEDED', confidence: 97.5, feedback: [] });
  await check.open();
});

afterEach(async () => {
  const name = expect.getState().currentTestName!.replace(/\W+/g, '-').toLowerCase();
  await check.screenshot(name);
  await check.close();
  expect(check.offMachineRequests).toEqual([]);
  expect(check.cspViolations).toEqual([]);
});

/** Opens the ID photo mode with the given demo photo; the page shows the photo the demo backend will use. */
async function idPhotoMode(photo: 'p1' | 'p2'): Promise<void> {
  await check.page.getByLabel('ID photo check').check();
  await check.page.getByLabel('ID photo on file').selectOption(photo);
  const img = check.page.locator('img.id-photo');
  await img.waitFor();
  expect(await img.getAttribute('src')).toMatch(new RegExp(`/demo-backend/id-photos/${photo}\\.jpg$`));
  // The image loaded (same origin, under the CSP).
  expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
}

async function runCheck(): Promise<void> {
  await check.page.getByRole('button', { name: 'Start check' }).click();
  await check.page.locator('[data-verdict]').waitFor({ timeout: CHECK_TIMEOUT_MS });
}

test('ID photo of the same person: matched', async () => {
  await idPhotoMode('p1');
  await runCheck();
  await check.page.getByRole('heading', { name: /You.re verified/ }).waitFor();
  await expectText(check, 'Matched');
  expect(await apiResult(stack, check.sessionIds[0]!)).toMatchObject({
    isLive: true,
    identity: { method: 'reference', subject: DEMO_SUBJECT, matched: true, threshold: 99 },
  });
});

test('ID photo of another person: not matched, with its reason', async () => {
  await idPhotoMode('p2');
  await runCheck();
  await check.page.getByRole('heading', { name: /We couldn.t confirm who you are/ }).waitFor();
  await expectText(check, 'Not matched: Your face does not match the one on file.');
  const result = await apiResult(stack, check.sessionIds[0]!);
  expect(result).toMatchObject({
    isLive: true,
    identity: { method: 'reference', matched: false, reason: 'BELOW_THRESHOLD' },
  });
  expect(result['identity']).not.toHaveProperty('similarity');
});

test('enrol, then verify: matched', async () => {
  // GIVEN the person enrols their face for the demo user
  await check.page.getByLabel('Enrol, then verify').check();
  await expectText(check, 'Step 1 of 2: enrol your face for the demo user.');
  await runCheck();
  await expectText(check, 'Enrolled');
  await check.screenshot('identity-enrolled');

  // WHEN they verify with a new check
  await check.page.getByRole('button', { name: 'Continue to verify' }).click();
  await expectText(check, 'Step 2 of 2: verify against the enrolled face.');
  await runCheck();

  // THEN they are matched against the enrolled face, and each check was its own session
  await check.page.getByRole('heading', { name: /You.re verified/ }).waitFor();
  await expectText(check, 'Matched');
  const [enrolSession, verifySession] = check.sessionIds;
  expect(verifySession).toBeDefined();
  expect(verifySession).not.toBe(enrolSession);
  expect(await apiResult(stack, enrolSession!)).toMatchObject({ identity: { method: 'enrol', matched: true } });
  expect(await apiResult(stack, verifySession!)).toMatchObject({
    identity: { method: 'enrolled', subject: DEMO_SUBJECT, matched: true },
  });
});
