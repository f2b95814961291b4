/**
 * The browser e2e harness: the real local stack (local S3, the Rekognition control-plane emulator, the local API with
 * the real handlers), the built example app served by local/web, the streaming emulator answering the detector's
 * WebSocket inside Playwright, and Debian's Chromium with a fake camera playing a face clip.
 *
 * The page may talk to loopback (127.0.0.1, localhost) and to the routed streaming WebSocket only: any other request
 * is aborted and recorded, and tests assert that none happened.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createLivenessClient } from '../../client';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { sessionKey, SESSION_TABLE_KEY } from '../../contract/session-table-schema';
import { ownerRef } from '../../lambda/shared/identity';
import { LOCAL_REGION, startLocalBackend, type LocalBackend } from '../../local/stack';
import { sessionDirectoryFor } from '../../local/emulators/streaming/control-plane';
import { routeStreamingToEmulator } from '../support/streaming-playwright';
import { StreamingEmulator } from '../../local/emulators/streaming/protocol';
import { localConfig } from '../../local/web/config-file';
import { startLocalWebApp, type LocalWebApp } from '../../local/web/local-app';
import { startWebServer, type WebServer } from '../../local/web/server';
import type { OutcomeSpec } from '../../local/emulators/rekognition';
import { freePort, NEXT_BUILD_ID, NEXT_FACE_MODEL, type NextApp, startNextApp } from './nextjs-app';

export const ROOT = join(__dirname, '..', '..');
export const CACHE_DIR = process.env.E2E_CACHE_DIR ?? join(ROOT, '.cache', 'e2e');
export const ARTIFACTS_DIR = join(ROOT, 'test-artifacts', 'e2e');
export const WEB_DIST = join(ROOT, 'web', 'dist');
/** From test/e2e/setup.sh. */
export const FACE_CLIP = join(CACHE_DIR, 'face-zoom-v1.y4m');
export const FACE_MODEL_DIR = join(CACHE_DIR, 'face-model');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Verified set of flags (shared BROWSER_E2E.md); no network beyond what the page asks for. */
export function chromiumArgs(clip: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${clip}`,
  ];
}

export function assertPrepared(options: { nextjs?: boolean } = {}): void {
  const needed = [CHROMIUM, FACE_CLIP, join(FACE_MODEL_DIR, 'model.json'), join(WEB_DIST, 'index.html')];
  if (options.nextjs) needed.push(NEXT_BUILD_ID, NEXT_FACE_MODEL);
  const missing = needed.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `Missing ${missing.join(', ')}: run \`npm run test:e2e\` (it runs test/e2e/setup.sh and builds web/ and examples/nextjs first).`,
    );
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs(FACE_CLIP), headless: true });
}

/** A clock shared by the control-plane and streaming emulators, so a test can let a session's 3 minutes pass at once. */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

export interface E2eStack {
  readonly local: LocalBackend;
  readonly web: WebServer;
  /** The app as `npm start` serves it: streaming over a real same-origin WebSocket, not Playwright's routing. */
  readonly localApp: LocalWebApp;
  readonly streaming: StreamingEmulator;
  /** examples/nextjs under `next start`, when the stack was started with `nextjs: true`. */
  readonly nextjs: NextApp | undefined;
  readonly clock: TestClock;
  /** How the next sessions end (the control plane applies its defaults at creation). */
  scriptOutcome(outcome: OutcomeSpec): void;
  close(): Promise<void>;
}

export async function startE2eStack(
  options: { log?: (line: string) => void; nextjs?: boolean } = {},
): Promise<E2eStack> {
  const clock = new TestClock();
  // The Next.js app's origin must be known before the API starts (its CORS setting): its port is picked first.
  const nextPort = options.nextjs ? await freePort() : undefined;
  const nextOrigins = nextPort === undefined ? [] : [`http://127.0.0.1:${nextPort}`];
  let apiUrl = '';
  // The web server starts first: the API's CORS setting needs its origin; its config needs the API's URL, later.
  const web = await startWebServer({
    distDir: WEB_DIST,
    port: 0,
    mounts: { '/test-face-model/': FACE_MODEL_DIR },
    // The detector's face model: a stand-in from npm (see setup.sh), served here as a self-hosted model would be.
    config: () =>
      localConfig({
        apiUrl,
        region: LOCAL_REGION,
        identityPoolId: local!.identity.pool.identityPoolId,
        cognitoIdentityEndpoint: local!.identity.url,
        faceModelUrl: 'test-face-model/model.json',
      }),
  });
  let local: LocalBackend | undefined;
  let localApp: LocalWebApp;
  try {
    // Same order for the npm-start app: it reads the stack lazily, once the stack is up.
    localApp = await startLocalWebApp({
      stack: {
        get api() {
          return local!.api;
        },
        emulator: {
          get sessions() {
            return local!.emulator.sessions;
          },
        },
        get identity() {
          return local!.identity;
        },
      },
      region: LOCAL_REGION,
      port: 0,
      faceModelDir: FACE_MODEL_DIR,
      // The other challenge type, so the e2e covers both.
      challenge: 'FaceMovementChallenge',
    });
  } catch (err) {
    await web.close();
    throw err;
  }
  try {
    local = await startLocalBackend({
      apiPort: 0,
      emulatorPort: 0,
      s3Port: 0,
      honourEnvironment: false,
      // The npm-start app asks for the movement-only challenge: the operator allows it next to the default one.
      settings: {
        allowedOrigins: [web.url, localApp.url, ...nextOrigins],
        allowedChallenges: ['FaceMovementAndLightChallenge', 'FaceMovementChallenge'],
      },
      emulator: { clock: clock.now, defaults: { autoComplete: false } },
    });
  } catch (err) {
    await Promise.allSettled([web.close(), localApp.close()]);
    throw err;
  }
  apiUrl = local.api.url;
  let nextjs: NextApp | undefined;
  if (nextPort !== undefined) {
    try {
      nextjs = await startNextApp({
        port: nextPort,
        // The same fields as the web app's local config (local/web/config-file.ts), as the Next app reads them.
        env: {
          LIVENESS_API_URL: local.api.url,
          LIVENESS_REGION: LOCAL_REGION,
          LIVENESS_IDENTITY_POOL_ID: local.identity.pool.identityPoolId,
          LIVENESS_COGNITO_IDENTITY_ENDPOINT: local.identity.url,
          LIVENESS_AUTH_MODE: 'iam',
          LIVENESS_FACE_MODEL_URL: '/face-model/model.json',
        },
      });
    } catch (err) {
      await Promise.allSettled([web.close(), localApp.close(), local.close()]);
      throw err;
    }
  }
  const streaming = new StreamingEmulator({
    sessions: sessionDirectoryFor(local.emulator, LOCAL_REGION),
    region: LOCAL_REGION,
    identityPool: local.identity.pool,
    now: clock.now,
    ...(options.log && { log: options.log }),
  });
  return {
    local,
    web,
    localApp,
    streaming,
    nextjs,
    clock,
    scriptOutcome: (outcome) => {
      local.emulator.defaults.set({ autoComplete: false, outcome });
    },
    close: async () => {
      streaming.closeAll();
      await Promise.allSettled([web.close(), localApp.close(), local!.close(), nextjs?.close()]);
    },
  };
}

export interface CheckPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Requests the page tried to send anywhere but 127.0.0.1 (aborted). */
  readonly offMachineRequests: string[];
  /** Console messages reporting Content-Security-Policy violations. */
  readonly cspViolations: string[];
  /** Session ids returned by POST /sessions, in order. */
  readonly sessionIds: string[];
  /** Opens the app (@default the test web server's) and waits for its start screen. */
  open(url?: string): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface CheckPageOptions {
  readonly viewport?: { width: number; height: number };
  /** Answer the detector's WebSocket in Playwright with the stack's streaming emulator. @default true */
  readonly routeStreaming?: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

export async function openCheckPage(
  browser: Browser,
  stack: E2eStack,
  options: CheckPageOptions = {},
): Promise<CheckPage> {
  const viewport = options.viewport ?? { width: 480, height: 800 };
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, reducedMotion: 'reduce' });
  const offMachineRequests: string[] = [];
  const cspViolations: string[] = [];
  const sessionIds: string[] = [];
  await context.route(
    (url) => !LOOPBACK_HOSTS.has(url.hostname),
    (route) => {
      offMachineRequests.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  if (options.routeStreaming ?? true) await routeStreamingToEmulator(context, stack.streaming);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on('response', (response) => {
    if (
      response.request().method() === 'POST' &&
      response.url() === `${stack.local.api.url}/sessions` &&
      response.status() === 201
    ) {
      response
        .json()
        .then((body: { sessionId: string }) => sessionIds.push(body.sessionId))
        .catch(() => undefined);
    }
  });
  return {
    context,
    page,
    offMachineRequests,
    cspViolations,
    sessionIds,
    open: async (url = stack.web.url) => {
      await page.goto(url);
      await page.getByRole('button', { name: 'Start check' }).waitFor();
    },
    screenshot: async (name) => {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    close: () => context.close(),
  };
}

/**
 * The Cognito identity id that owns a session. The table holds only the owner reference (a keyed hash of
 * `cognito:<identityId>`), so the identity is found by hashing each identity the local pool handed out.
 */
export async function ownerIdentityOf(stack: E2eStack, sessionId: string): Promise<string> {
  const item = (await stack.local.dynamo.items()).find((i) => i[SESSION_TABLE_KEY]?.S === sessionKey(sessionId));
  const owner = item?.['owner']?.S ?? '';
  const key = stack.local.handlerEnv[HANDLER_ENV.OWNER_REF_KEY];
  const identityId = stack.local.identity.pool.identityIds().find((id) => ownerRef(`cognito:${id}`, key) === owner);
  if (identityId === undefined)
    throw new Error(`session ${sessionId} is owned by no guest identity of the local pool (${owner || 'no item'})`);
  return identityId;
}

/**
 * GET /sessions/{id}/result through our API, signed as the page's own identity (only the owner may read a session):
 * a guest identity's id is all it takes to get its credentials, as with a real identity pool.
 */
export async function apiResult(stack: E2eStack, sessionId: string): Promise<Record<string, unknown>> {
  const issued = stack.local.identity.pool.getCredentialsForIdentity(await ownerIdentityOf(stack, sessionId));
  const client = createLivenessClient({ apiUrl: stack.local.api.url, region: LOCAL_REGION, credentials: issued });
  return { ...(await client.getResult(sessionId)) };
}
