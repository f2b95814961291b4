/** The real bin, spawned as a user would run it: the tsx shim, process wiring, stdout/stderr and exit codes. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { live, notLive, pending, startFakeLivenessApi, type FakeLivenessApi } from './support/fake-liveness-api';

const BIN = join(__dirname, '..', '..', 'cli', 'bin.cjs');

function runBin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Without the caller's LIVENESS_API_URL/PORT, and with no credential lookups leaving the machine.
  const { LIVENESS_API_URL: _url, PORT: _port, LIVENESS_COGNITO_ENDPOINT: _cognito, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...env, AWS_EC2_METADATA_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const killer = setTimeout(() => child.kill(), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

let api: FakeLivenessApi;

afterEach(async () => {
  await api.close();
});

test('check --json: create, poll through pending, exit 0 with one JSON object', async () => {
  api = await startFakeLivenessApi({ script: [pending(0, 'CREATED'), pending(0), live()] });

  const { code, stdout, stderr } = await runBin(['check', '--api', api.url, '--json']);

  expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/^Session [0-9a-f-]{36} in us-east-1/) });
  expect(JSON.parse(stdout)).toMatchObject({ ok: true, isLive: true, done: true });
  expect(api.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'GET', 'GET']);
});

test('check, not live: exit 1 with the verdict line', async () => {
  api = await startFakeLivenessApi({ script: [notLive()] });

  const { code, stdout } = await runBin(['check', '--api', api.url]);

  expect(code).toBe(1);
  expect(stdout).toMatch(
    /^✘ not live: LOW_CONFIDENCE — .*\. Feedback: LOW_LIGHTING_DETECTED\. \(session [0-9a-f]{8}…\)\n$/,
  );
});

test('an unknown flag: exit 2 and a usage message, nothing sent', async () => {
  api = await startFakeLivenessApi();

  const { code, stdout, stderr } = await runBin(['result', '--api', api.url, '--frobnicate']);

  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toBe("face-liveness: unknown option '--frobnicate'. See 'face-liveness result --help'.\n");
  expect(api.requests).toHaveLength(0);
});
