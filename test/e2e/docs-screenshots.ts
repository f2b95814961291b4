/**
 * Refreshes the screenshots in docs/ from the real app, the same way the e2e test runs it (local stack, emulators,
 * Chromium with the face clip): start screen, the detector with its oval, verified, not verified with advice, and an
 * error. 480 px wide, cropped to the app, palette-compressed with ffmpeg to stay small.
 *
 *   npm run docs:screenshots
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { assertPrepared, launchBrowser, openCheckPage, ROOT, startE2eStack, type CheckPage } from './harness';

const DOCS = join(ROOT, 'docs');
const TIMEOUT_MS = 45_000;
/** The whole run takes about 30 s; past this something hangs: say where, and stop. */
const WATCHDOG_MS = 180_000;
let step = 'starting';

function progress(text: string): void {
  step = text;
  console.error(`[docs:screenshots] ${text}`);
}

async function capture(check: CheckPage, name: string): Promise<void> {
  const raw = join(DOCS, `${name}.raw.png`);
  const out = join(DOCS, `${name}.png`);
  await check.page.locator('main').screenshot({ path: raw, animations: 'disabled' });
  // A 128-colour palette keeps text crisp and a camera frame recognisable at a fraction of the size.
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    raw,
    '-vf',
    'split[a][b];[a]palettegen=max_colors=128[p];[b][p]paletteuse=dither=none',
    out,
  ]);
  rmSync(raw);
  console.log(`docs/${name}.png  ${Math.round(statSync(out).size / 1024)} KB`);
}

async function main(): Promise<void> {
  assertPrepared();
  mkdirSync(DOCS, { recursive: true });
  progress('launching Chromium and the local stack');
  const [browser, stack] = await Promise.all([launchBrowser(), startE2eStack()]);
  try {
    progress('start screen, detector, verified');
    // Start screen, then the detector mid-check, then the verdict.
    stack.scriptOutcome({ status: 'SUCCEEDED', confidence: 97 });
    let check = await openCheckPage(browser, stack);
    await check.open();
    await capture(check, 'screen-start');
    await check.page.getByRole('button', { name: 'Start check' }).click();
    await check.page.getByLabel('Move closer').waitFor({ timeout: TIMEOUT_MS });
    await check.page.waitForTimeout(1200); // the face is on its way into the oval
    await capture(check, 'screen-detector');
    await check.page.getByRole('heading', { name: /You.re verified/ }).waitFor({ timeout: TIMEOUT_MS });
    await capture(check, 'screen-verified');
    await check.close();

    stack.scriptOutcome({
      status: 'SUCCEEDED',
      confidence: 12,
      feedback: [{ code: 'LOW_LIGHTING_DETECTED' }, { code: 'FACE_OBSTRUCTION_DETECTED' }],
    });
    progress('not verified');
    check = await openCheckPage(browser, stack);
    await check.open();
    await check.page.getByRole('button', { name: 'Start check' }).click();
    await check.page.getByRole('heading', { name: /We couldn.t verify you/ }).waitFor({ timeout: TIMEOUT_MS });
    await capture(check, 'screen-not-verified');
    await check.close();

    progress('error');
    stack.streaming.injectFault({ kind: 'close', afterVideoChunks: 1 });
    check = await openCheckPage(browser, stack);
    await check.open();
    await check.page.getByRole('button', { name: 'Start check' }).click();
    await check.page.getByRole('heading', { name: 'The connection was interrupted' }).waitFor({ timeout: TIMEOUT_MS });
    await capture(check, 'screen-error');
    await check.close();
  } finally {
    progress('closing');
    await browser.close();
    await stack.close();
  }
}

const watchdog = setTimeout(() => {
  console.error(`[docs:screenshots] no progress after ${WATCHDOG_MS / 1000} s, stuck at: ${step}`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

main().catch((error: unknown) => {
  console.error(error);
  // Leave no half-written file behind.
  for (const name of ['screen-start', 'screen-detector', 'screen-verified', 'screen-not-verified', 'screen-error']) {
    rmSync(join(DOCS, `${name}.raw.png`), { force: true });
  }
  process.exitCode = 1;
});
