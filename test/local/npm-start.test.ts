/**
 * `npm start` as a user runs it: a child process that prints its URLs, serves a `check`, and stops cleanly on Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freePort } from '../../local/net';
import { join } from 'node:path';
import { LOCAL_IDENTITY_POOL_ID } from '../../contract/local-mode';
import { newLocalCaller } from '../support/local-identity';

const ROOT = join(__dirname, '..', '..');

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing ${pattern}:\n${seen}`));
    });
  });
}

describe('npm start', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  // On a fresh clone npm start first installs and builds the example app (web/), which takes a while.
  it('prints its URLs, serves the example app and a check from the CLI, and stops on SIGINT', async () => {
    // GIVEN npm start on free ports (the test runs beside other suites), the example app on a non-default port
    const webPort = await freePort();
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: '0',
      REKOGNITION_EMULATOR_PORT: '0',
      LOCAL_COGNITO_PORT: '0',
      WEB_PORT: String(webPort),
      CI: 'true',
    };
    delete env.ALLOWED_ORIGINS;
    delete env.LOCAL_AUTH;
    child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const [banner] = await waitForLine(child, /local API[\s\S]*Ctrl-C stops everything/, 200_000);
    const apiUrl = banner.match(/local API\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const emulatorUrl = banner.match(/Rekognition emulator\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const webUrl = banner.match(/example app\s+(http:\/\/localhost:\d+)/)?.[1];
    const identityUrl = banner.match(/Cognito identity\s+(http:\/\/127\.0\.0\.1:\d+\/)/)?.[1];
    expect(apiUrl).toBeDefined();
    expect(identityUrl).toBeDefined();
    expect(banner).toContain('Auth: IAM, as deployed');
    expect(webUrl).toBe(`http://localhost:${webPort}`);

    // AND an unsigned request is refused as API Gateway would, with CORS for the app's real origin (both spellings)
    for (const origin of [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`]) {
      const unsigned = await fetch(`${apiUrl}/sessions`, { method: 'POST', headers: { Origin: origin } });
      expect(unsigned.status).toBe(403);
      expect(unsigned.headers.get('access-control-allow-origin')).toBe(origin);
      expect(await unsigned.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }

    // THEN the example app is served beside the API, configured for it
    expect(webUrl).toBeDefined();
    const page = await fetch(`${webUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const config = (await (await fetch(`${webUrl}/liveness-config.json`)).json()) as { apiUrl: string; region: string };
    expect(config).toMatchObject({
      apiUrl,
      region: 'us-east-1',
      authMode: 'iam',
      identityPoolId: LOCAL_IDENTITY_POOL_ID,
      cognitoIdentityEndpoint: identityUrl,
    });

    // AND a session a browser creates (signed with guest credentials) waits for its video stream
    const browser = newLocalCaller({
      api: { url: apiUrl! },
      identity: { url: identityUrl!, pool: { identityPoolId: LOCAL_IDENTITY_POOL_ID } },
    });
    const created = await browser.fetch(`${apiUrl}/sessions`, { method: 'POST', headers: { Origin: webUrl! } });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(webUrl);
    const { sessionId } = (await created.json()) as { sessionId: string };
    await new Promise((r) => setTimeout(r, 2_500));
    const view = (await (await fetch(`${emulatorUrl}/_emulator/sessions/${sessionId}`)).json()) as { status: string };
    expect(view.status).toBe('CREATED');

    // WHEN the CLI's check runs against it in a second process
    const check = spawnSync(process.execPath, [join(ROOT, 'cli', 'bin.cjs'), 'check', '--api', apiUrl!, '--json'], {
      cwd: ROOT,
      // Guest credentials from the identity stand-in, found as the banner names it.
      // The CLI keeps its guest identity in the user's cache directory: a temporary one here.
      env: {
        ...process.env,
        LOCAL_COGNITO_PORT: new URL(identityUrl!).port,
        XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'face-liveness-cache-')),
      },
      encoding: 'utf8',
      timeout: 60_000,
    });

    // THEN it prints a live verdict and exits 0
    expect(check.status).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, isLive: true });

    // AND Ctrl-C (SIGINT to the terminal's process group) stops everything and releases the port
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child!.once('close', () => resolve()));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    expect(output).toContain('stopping');
    await expect(fetch(`${apiUrl}/sessions`, { method: 'POST' })).rejects.toThrow();
  }, 300_000);
});
