/**
 * `npm start` as a user runs it: a child process that prints its URLs, serves a `check`, and stops cleanly on Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)), timeoutMs);
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
    // GIVEN npm start on free ports (the test runs beside other suites)
    child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', REKOGNITION_EMULATOR_PORT: '0', WEB_PORT: '0', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const [banner] = await waitForLine(child, /local API[\s\S]*Ctrl-C stops everything/, 200_000);
    const apiUrl = banner.match(/local API\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const emulatorUrl = banner.match(/Rekognition emulator\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const webUrl = banner.match(/example app\s+(http:\/\/localhost:\d+)/)?.[1];
    expect(apiUrl).toBeDefined();
    expect(banner).toContain('IAM auth is NOT enforced locally');

    // THEN the example app is served beside the API, configured for it
    expect(webUrl).toBeDefined();
    const page = await fetch(`${webUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const config = (await (await fetch(`${webUrl}/liveness-config.json`)).json()) as { apiUrl: string; region: string };
    expect(config).toMatchObject({ apiUrl, region: 'us-east-1' });

    // AND a session a browser creates waits for its video stream instead of completing by itself
    const created = await fetch(`${apiUrl}/sessions`, { method: 'POST', headers: { Origin: 'http://localhost:5173' } });
    const { sessionId } = (await created.json()) as { sessionId: string };
    await new Promise((r) => setTimeout(r, 2_500));
    const view = (await (await fetch(`${emulatorUrl}/_emulator/sessions/${sessionId}`)).json()) as { status: string };
    expect(view.status).toBe('CREATED');

    // WHEN the CLI's check runs against it in a second process
    const check = spawnSync(process.execPath, [join(ROOT, 'cli', 'bin.cjs'), 'check', '--api', apiUrl!, '--json'], {
      cwd: ROOT,
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
