/** The real bin, spawned as a user would run it: the tsx shim, process wiring, stdout/stderr and exit codes. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { live, notLive, pending, startFakeLivenessApi, type FakeLivenessApi } from './support/fake-liveness-api';

const BIN = join(__dirname, '..', '..', 'cli', 'bin.cjs');

function runBin(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Without the caller's LIVENESS_API_URL/PORT or AWS credentials, and with no credential lookups leaving the machine.
  const {
    LIVENESS_API_URL: _url,
    PORT: _port,
    LIVENESS_COGNITO_ENDPOINT: _cognito,
    AWS_ACCESS_KEY_ID: _key,
    AWS_SECRET_ACCESS_KEY: _secret,
    AWS_SESSION_TOKEN: _token,
    ...env
  } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...env, AWS_EC2_METADATA_DISABLED: 'true', ...extraEnv },
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

test("erase: the app backend's credentials from the process environment sign the request; without them, exit 2", async () => {
  api = await startFakeLivenessApi();
  const credentials = { AWS_ACCESS_KEY_ID: 'ASIABINTEST0000001', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'us-east-1' };

  const erased = await runBin(['erase', '--api', api.url, '--subject', 'user-42'], credentials);
  const refused = await runBin(['erase', '--api', api.url, '--subject', 'user-42']);

  expect(erased).toMatchObject({
    code: 0,
    stdout: '✔ erased subject user-42: 0 enrolled faces and 0 reference photos deleted\n',
  });
  expect(api.requests[0]!.headers.authorization).toMatch(
    /^AWS4-HMAC-SHA256 Credential=ASIABINTEST0000001\/\d{8}\/us-east-1\//,
  );
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  expect(api.requests).toHaveLength(1);
});
