import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, type CliIo } from '../../cli/main';
import { fakeClock } from './support/fake-clock';
import { startFakeCognito } from './support/fake-cognito';
import {
  apiError,
  live,
  notLive,
  pending,
  raw,
  startFakeLivenessApi,
  type FakeLivenessApi,
  type Step,
} from './support/fake-liveness-api';
import { createSigV4Verifier } from './support/sigv4-verifier';
import { LOCAL_IDENTITY_POOL_ID } from '../../contract/local-mode';
import { GuestIdentityPool, startCognitoIdentityStandIn, verifySigV4 } from '../../local/emulators/cognito-identity';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], io: Partial<CliIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
    clock: fakeClock().clock,
    // Never the user's cache directory: identities are kept in memory for this run only.
    identities: memoryIdentities(),
    ...io,
  });
  return { code, stdout, stderr };
}

function memoryIdentities(): NonNullable<CliIo['identities']> {
  const kept = new Map<string, string>();
  return {
    get: (key) => kept.get(key),
    set: (key, id) => void kept.set(key, id),
    delete: (key) => void kept.delete(key),
  };
}

const SESSION_LINE = /^✔ live \(session [0-9a-f]{8}…\)\n$/;

let api: FakeLivenessApi;

beforeEach(async () => {
  api = await startFakeLivenessApi({ script: [pending(1), live()] });
});

afterEach(async () => {
  await api.close();
});

describe('usage', () => {
  test.each([[[]], [['--help']], [['help']], [['check', '--help']], [['result', '-h']], [['help', 'create']]])(
    '%p prints help and exits 0',
    async (argv) => {
      const { code, stdout } = await run(argv);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: face-liveness/);
    },
  );

  test.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--api', 'x'], /a command must come first/],
    [['check', '--nope'], /unknown option '--nope'.*face-liveness check --help/],
    [['check', '--api'], /argument missing/],
    [['check', 'extra'], /unexpected argument 'extra'/],
    [['result'], /session id is missing/],
    [['result', 'a', 'b'], /one session id only/],
    [['result', 'x', '--timeout', '5'], /only makes sense with --wait/],
    [['create', '--audit-images', '9'], /--audit-images must be a whole number from 0 to 4/],
    [['create', '--challenge', 'smile'], /--challenge must be one of/],
    [['check', '--timeout', '-1'], /--timeout must be a positive number of seconds \(got '-1'\)/],
    [['result', 'x', '--wait', '--timeout', '-0.5'], /--timeout must be a positive number of seconds \(got '-0\.5'\)/],
    [['check', '--timeout', '0'], /--timeout must be a positive number of seconds \(got '0'\)/],
  ])('%p is a usage error: exit 2 and a clear message', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
    expect(api.requests).toHaveLength(0);
  });

  test.each([[['--version']], [['-V']], [['version']]])('%p prints the package version and exits 0', async (argv) => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    const { code, stdout } = await run(argv);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });

  test('with --json, a usage error is also one JSON object on stdout', async () => {
    const { code, stdout } = await run(['check', '--json', '--bogus']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual({
      ok: false,
      error: { kind: 'usage', message: "unknown option '--bogus'.", retryable: false },
    });
  });
});

describe('create', () => {
  test('prints the session id, region and expiry for a frontend', async () => {
    const { code, stdout } = await run([
      'create',
      '--api',
      api.url,
      '--challenge',
      'movement',
      '--audit-images',
      '2',
      '--token',
      'abc-1',
    ]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^session {2}[0-9a-f-]{36}\nregion {3}us-east-1\nexpires {2}\d{4}-\d\d-\d\dT.*Z\n$/);
    expect(JSON.parse(api.requests[0]!.body)).toEqual({
      challenge: 'FaceMovementChallenge',
      auditImagesLimit: 2,
      clientRequestToken: 'abc-1',
    });
  });

  test('--json prints the created session as one object', async () => {
    const { code, stdout } = await run(['create', '--api', api.url, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      ok: true,
      sessionId: expect.any(String),
      region: 'us-east-1',
      expiresAt: expect.any(String),
    });
  });

  test('an API error exits 2 with the code, status and request id', async () => {
    api.createSteps.push(apiError('SERVICE_UNAVAILABLE', 1, 'Rekognition is having a moment.'));
    const { code, stderr } = await run(['create', '--api', api.url]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^✘ error: SERVICE_UNAVAILABLE \(HTTP 503\) — Rekognition is having a moment\. \[request id req-\d+\]\n$/,
    );
  });
});

describe('result', () => {
  test('live: exit 0', async () => {
    const sessionId = api.addSession([live()]);
    const { code, stdout } = await run(['result', sessionId, '--api', api.url]);
    expect(code).toBe(0);
    expect(stdout).toBe(`✔ live (session ${sessionId.slice(0, 8)}…)\n`);
  });

  test('not live: exit 1, with the reason, message and feedback, and no confidence', async () => {
    const sessionId = api.addSession([notLive()]);
    const { code, stdout } = await run(['result', sessionId, '--api', api.url]);
    expect(code).toBe(1);
    expect(stdout).toBe(
      `✘ not live: LOW_CONFIDENCE — The check did not pass. Please try again. Feedback: LOW_LIGHTING_DETECTED. (session ${sessionId.slice(0, 8)}…)\n`,
    );
    expect(stdout).not.toMatch(/confidence \d/);
  });

  test('the confidence is printed only when the API returned details', async () => {
    const sessionId = api.addSession([live({ details: { confidence: 97.254, auditImages: [] } })]);
    const { stdout } = await run(['result', sessionId, '--api', api.url]);
    expect(stdout).toMatch(/^✔ live \(session [0-9a-f]{8}…, confidence 97\.3\)\n$/);
  });

  test('pending: exit 3', async () => {
    const sessionId = api.addSession([pending(1, 'CREATED')]);
    const { code, stdout } = await run(['result', sessionId, '--api', api.url]);
    expect(code).toBe(3);
    expect(stdout).toBe(`… pending: CREATED (session ${sessionId.slice(0, 8)}…)\n`);
  });

  test('--wait polls until finished; --json prints the result', async () => {
    const sessionId = api.addSession([pending(1), pending(1), notLive()]);
    const { code, stdout } = await run(['result', sessionId, '--wait', '--json', '--api', api.url]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: true,
      sessionId,
      done: true,
      isLive: false,
      reason: 'LOW_CONFIDENCE',
    });
  });

  test("an unknown session exits 2 with the API's code and message", async () => {
    const { code, stderr } = await run(['result', '00000000-0000-4000-8000-000000000000', '--api', api.url]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^✘ error: SESSION_NOT_FOUND \(HTTP 404\) — No such session: start a new one\. \[request id req-\d+\]\n$/,
    );
  });

  test('a malformed session id exits 2 before any request', async () => {
    const { code, stdout } = await run(['result', 'not-a-session', '--api', api.url, '--json']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { kind: 'validation', field: 'sessionId' } });
    expect(api.requests).toHaveLength(0);
  });
});

describe('check', () => {
  test('live: exit 0, the session announced on stderr, the verdict on stdout', async () => {
    const { code, stdout, stderr } = await run(['check', '--api', api.url]);
    expect(code).toBe(0);
    expect(stdout).toMatch(SESSION_LINE);
    expect(stderr).toMatch(/^Session [0-9a-f-]{36} in us-east-1, expires .*Z\. Waiting for the result…\n$/);
  });

  test('not live: exit 1; --json prints one object with the verdict', async () => {
    api = await replaceApi([notLive()]);
    const { code, stdout } = await run(['check', '--api', api.url, '--json']);
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      ok: true,
      sessionId: expect.any(String),
      region: 'us-east-1',
      expiresAt: expect.any(String),
      status: 'SUCCEEDED',
      done: true,
      isLive: false,
      reason: 'LOW_CONFIDENCE',
      message: expect.any(String),
      feedback: ['LOW_LIGHTING_DETECTED'],
    });
  });

  test('throttled, then recovered: still exit 0', async () => {
    api = await replaceApi([apiError('THROTTLED', 2), apiError('UPSTREAM_TIMEOUT', 1), live()]);
    const { code } = await run(['check', '--api', api.url]);
    expect(code).toBe(0);
  });

  test('timeout: exit 2, and the JSON names the session and the reason', async () => {
    api = await replaceApi([pending(5)]);
    const { code, stdout } = await run(['check', '--api', api.url, '--timeout', '3', '--json']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      sessionId: expect.any(String),
      error: { kind: 'timeout', reason: 'TIMEOUT', retryable: false },
    });
  });

  test('an API URL that is not a URL: exit 2', async () => {
    const { code, stderr } = await run(['check', '--api', 'localhost:3000']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/The API URL must be http\(s\)/);
  });

  test('a broken proxy answer: exit 2 with a clear message, not a crash', async () => {
    api.createSteps.push(raw(200, '<html>Welcome to nginx</html>', { 'Content-Type': 'text/html' }));
    const { code, stderr } = await run(['check', '--api', api.url]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^✘ error: Unexpected answer from .*\/v1\/sessions \(not a created session, text\/html\)/);
  });

  test('an unreachable default API: exit 2 with a hint', async () => {
    const { code, stderr } = await run(['check'], { env: { PORT: '1', LOCAL_COGNITO_PORT: '1' } });
    expect(code).toBe(2);
    // The first thing local mode needs is guest credentials from its identity stand-in (LOCAL_COGNITO_PORT)
    expect(stderr).toMatch(/http:\/\/127\.0\.0\.1:1\//);
    expect(stderr).toMatch(/Is the local API running\?/);
  });

  test('a 403 from an IAM API without --config hints at --config', async () => {
    api.createSteps.push(apiError('FORBIDDEN'));
    const { code, stderr } = await run(['check', '--api', api.url]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/pass --config/);
    expect(stderr).toMatch(/leave out --api .* LOCAL_COGNITO_PORT/);
  });

  test.each([
    ['INVALID_SIGNATURE', /check the config's region .* clock/],
    ['CREDENTIALS_EXPIRED', /credentials had expired: run the command again/],
  ] as const)('a 403 %s names what to check', async (code, hint) => {
    api.createSteps.push(apiError(code));
    const { code: exit, stderr } = await run(['check', '--api', api.url]);
    expect(exit).toBe(2);
    expect(stderr).toMatch(new RegExp(`${code} \\(HTTP 403\\)`));
    expect(stderr).toMatch(hint);
  });

  test('Ctrl-C while waiting: exit 130', async () => {
    api = await replaceApi([pending(30)]);
    const controller = new AbortController();
    const { clock } = fakeClock();
    const sleepy = {
      now: clock.now,
      sleep: (ms: number, signal?: AbortSignal) => {
        controller.abort();
        return clock.sleep(ms, signal);
      },
    };
    const { code, stderr } = await run(['check', '--api', api.url], { signal: controller.signal, clock: sleepy });
    expect(code).toBe(130);
    expect(stderr).toMatch(/Interrupted/);
  });
});

describe('where the API is', () => {
  test('LIVENESS_API_URL when there is no --api; --api wins over it', async () => {
    const other = await startFakeLivenessApi({ region: 'eu-west-1' });
    try {
      const fromEnv = await run(['create', '--json'], { env: { LIVENESS_API_URL: other.url } });
      expect(JSON.parse(fromEnv.stdout)).toMatchObject({ region: 'eu-west-1' });
      const fromFlag = await run(['create', '--json', '--api', api.url], { env: { LIVENESS_API_URL: other.url } });
      expect(JSON.parse(fromFlag.stdout)).toMatchObject({ region: 'us-east-1' });
    } finally {
      await other.close();
    }
  });

  test("otherwise http://127.0.0.1:$PORT, signed with guest credentials from local mode's identity stand-in", async () => {
    // GIVEN local mode's identity pool stand-in and an API that trusts only what it issues
    const pool = new GuestIdentityPool({ identityPoolId: LOCAL_IDENTITY_POOL_ID });
    const standIn = await startCognitoIdentityStandIn({ pool, allowedOrigins: [], port: 0 });
    const local = await startFakeLivenessApi({
      stage: '',
      script: [live()],
      authorize: async (request) => {
        const verdict = verifySigV4(
          {
            method: request.method,
            rawPath: request.url.split('?')[0]!,
            query: new URL(request.url, 'http://x').searchParams,
            headers: request.headers,
            body: Buffer.from(request.body),
          },
          { pool },
        );
        return verdict.ok ? undefined : 'FORBIDDEN';
      },
    });
    try {
      // WHEN the CLI runs with no --api, no config and no LIVENESS_API_URL
      const port = new URL(local.url).port;
      const { code, stderr } = await run(['check'], { env: { PORT: port, LOCAL_COGNITO_PORT: String(standIn.port) } });

      // THEN it found both by the variables npm start uses, and every call was signed with issued credentials
      expect(code).toBe(0);
      expect(stderr).not.toMatch(/error/i);
      expect(local.requests[0]!.url).toBe('/sessions');
    } finally {
      await local.close();
      await standIn.close();
    }
  });

  test('--config with authMode "iam" signs with guest credentials from the identity pool', async () => {
    // GIVEN an IAM-auth API that trusts what a (fake) identity pool issues
    const poolId = 'eu-west-1:0c2b8e7a-5d1f-4a3b-9c8d-7e6f5a4b3c2d';
    const cognito = await startFakeCognito({ identityPoolId: poolId });
    const verify = createSigV4Verifier({ region: 'eu-west-1', credentials: cognito.issued });
    const iamApi = await startFakeLivenessApi({
      region: 'eu-west-1',
      script: [live()],
      authorize: async (request) => ((await verify(request)).ok ? undefined : 'FORBIDDEN'),
    });
    const config = JSON.stringify({ region: 'eu-west-1', apiUrl: iamApi.url, identityPoolId: poolId, authMode: 'iam' });
    try {
      // WHEN
      const { code, stdout } = await run(['check', '--config', 'frontend-config.json', '--json'], {
        env: { LIVENESS_COGNITO_ENDPOINT: cognito.endpoint, LIVENESS_API_URL: 'http://127.0.0.1:1/' },
        readFile: async (path) => {
          expect(path).toBe('frontend-config.json');
          return config;
        },
      });

      // THEN
      expect({ code, out: JSON.parse(stdout) }).toMatchObject({
        code: 0,
        out: { ok: true, isLive: true, region: 'eu-west-1' },
      });
      expect(cognito.calls).toEqual(['GetId', 'GetCredentialsForIdentity']);
      expect(iamApi.requests.every((r) => r.headers.authorization?.startsWith('AWS4-HMAC-SHA256 '))).toBe(true);
    } finally {
      await iamApi.close();
      await cognito.close();
    }
  });

  test('--config with authMode "none" calls the API unsigned', async () => {
    const config = JSON.stringify({ region: 'us-east-1', apiUrl: api.url, authMode: 'none' });
    const { code } = await run(['check', '--config', 'c.json'], { readFile: async () => config });
    expect(code).toBe(0);
    expect(api.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  test('--config with authMode "cognito" sends $LIVENESS_AUTH_TOKEN as Authorization', async () => {
    const config = JSON.stringify({
      region: 'us-east-1',
      apiUrl: api.url,
      identityPoolId: 'us-east-1:abc',
      authMode: 'cognito',
    });
    const readFile = async (): Promise<string> => config;

    const withToken = await run(['check', '--config', 'c.json'], {
      readFile,
      env: { LIVENESS_AUTH_TOKEN: 'eyJ.test.token' },
    });
    const withoutToken = await run(['check', '--config', 'c.json'], { readFile });

    expect(withToken.code).toBe(0);
    expect(api.requests.map((r) => r.headers.authorization)).toEqual([
      'eyJ.test.token',
      'eyJ.test.token',
      'eyJ.test.token',
    ]);
    expect(withoutToken.code).toBe(2);
    expect(withoutToken.stderr).toMatch(/set LIVENESS_AUTH_TOKEN/);
  });

  test.each([
    ['not JSON', 'nope', /is not JSON/],
    ['no apiUrl', '{"region":"us-east-1","authMode":"none"}', /"apiUrl" \(a URL\) is missing/],
    [
      'iam without a pool',
      `{"region":"us-east-1","apiUrl":"http://127.0.0.1:1/","authMode":"iam"}`,
      /"identityPoolId" is required/,
    ],
    [
      'an unknown authMode',
      `{"region":"us-east-1","apiUrl":"http://127.0.0.1:1/","authMode":"jwt"}`,
      /"authMode" must be one of/,
    ],
  ])('a config file with %s exits 2 with a clear message', async (_name, text, message) => {
    const { code, stderr } = await run(['check', '--config', 'c.json'], { readFile: async () => text });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  test('a missing config file exits 2', async () => {
    const { code, stderr } = await run(['check', '--config', '/nonexistent/frontend-config.json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read the config file \/nonexistent\/frontend-config\.json/);
  });
});

async function replaceApi(script: readonly Step[]): Promise<FakeLivenessApi> {
  await api.close();
  return startFakeLivenessApi({ script });
}
