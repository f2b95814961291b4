/**
 * examples/nextjs end to end: the Next.js App Router app (`next start`, its production build) with the React component
 * in a client component, its detector assets self-hosted under public/, under its nonce-based Content-Security-Policy,
 * in Debian's Chromium with the fake camera, against the same local stack and the same scenarios as web/.
 */
import type { Browser } from 'playwright-core';
import { assertPrepared, type CheckPage, type E2eStack, launchBrowser, openCheckPage, startE2eStack } from './harness';
import { liveScenario, notLiveThenRetryScenario } from './scenarios';

let browser: Browser;
let stack: E2eStack;
let check: CheckPage;

beforeAll(async () => {
  assertPrepared({ nextjs: true });
  [browser, stack] = await Promise.all([launchBrowser(), startE2eStack({ nextjs: true })]);
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
  await check.screenshot(`nextjs-${state.currentTestName!.replace(/\W+/g, '-').toLowerCase()}`);
  await check.close();
  // Nothing left the machine (no CDN, no AWS endpoint, no font service), and the policy refused nothing.
  expect(check.offMachineRequests).toEqual([]);
  expect(check.cspViolations).toEqual([]);
});

test('next.js: the page is served with a nonce-based policy, and its detector assets are its own', async () => {
  const response = await fetch(stack.nextjs!.url);
  const policy = response.headers.get('content-security-policy') ?? '';
  const nonce = policy.match(/'nonce-([^']+)'/)?.[1];
  expect(nonce).toBeDefined();
  // Next puts the nonce on the scripts it inlines.
  expect(await response.text()).toContain(`nonce="${nonce}"`);
  expect(policy).toContain("'wasm-unsafe-eval'");
  expect(policy).not.toContain('cdn.liveness.rekognition.amazonaws.com');
  // A new nonce per response.
  const again = (await fetch(stack.nextjs!.url)).headers.get('content-security-policy') ?? '';
  expect(again.match(/'nonce-([^']+)'/)?.[1]).not.toBe(nonce);
  const wasm = await fetch(`${stack.nextjs!.url}/tfjs-wasm/tfjs-backend-wasm.wasm`);
  expect(wasm.headers.get('content-type')).toBe('application/wasm');
});

test('next.js live: the person sees "verified" and the API says isLive', async () => {
  await liveScenario(stack, check, stack.nextjs!.url);
});

test('next.js not live: advice, and "try again" uses a new session', async () => {
  await notLiveThenRetryScenario(stack, check, stack.nextjs!.url);
});
