/**
 * The CLI's identity commands against the fake of this API: `check --reference --subject`, `enrol`, `verify` and
 * `erase`; the identity routes signed with the app backend's credentials (the environment's against a deployment,
 * local mode's fixed pair against local mode), the session created as a browser does with only the token; exit 0
 * matched, 1 not matched, 2 error.
 */
import { main, type CliIo } from '../../cli/main';
import { LOCAL_BACKEND_CREDENTIALS, LOCAL_IDENTITY_POOL_ID } from '../../contract/local-mode';
import { GuestIdentityPool, startCognitoIdentityStandIn } from '../../local/emulators/cognito-identity';
import { fakeClock } from './support/fake-clock';
import type { RecordedRequest } from './support/http-server';
import { live, notLive, startFakeLivenessApi, type FakeLivenessApi } from './support/fake-liveness-api';
import { createSigV4Verifier, type IssuedCredentials } from './support/sigv4-verifier';

const REGION = 'eu-west-1';
const BACKEND = { accessKeyId: 'ASIABACKEND0000001', secretAccessKey: 'backend/secret', sessionToken: 'backend-token' };
const BACKEND_ENV = {
  AWS_ACCESS_KEY_ID: BACKEND.accessKeyId,
  AWS_SECRET_ACCESS_KEY: BACKEND.secretAccessKey,
  AWS_SESSION_TOKEN: BACKEND.sessionToken,
  AWS_REGION: REGION,
};
const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x10, 0x4a, 0x46, 0x49, 0x46]);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let api: FakeLivenessApi;
let decide: NonNullable<NonNullable<Parameters<typeof startFakeLivenessApi>[0]>['identity']>['decide'];
/** Who signed each backend request, by access key id (or why it failed). */
let backendSigners: string[];

async function startApi(
  credentials: ReadonlyMap<string, IssuedCredentials>,
  region = REGION,
  stage = '/v1',
): Promise<FakeLivenessApi> {
  const verify = createSigV4Verifier({ region, credentials });
  return startFakeLivenessApi({
    region,
    stage,
    script: [live()],
    identity: { decide: (check) => decide!(check) },
    authorizeBackend: async (request: RecordedRequest) => {
      const verdict = await verify(request);
      backendSigners.push(verdict.ok ? verdict.accessKeyId : `refused: ${verdict.reason}`);
      return verdict.ok ? undefined : 'FORBIDDEN';
    },
  });
}

beforeEach(async () => {
  backendSigners = [];
  decide = () => ({ matched: true });
  api = await startApi(new Map([[BACKEND.accessKeyId, BACKEND]]));
});
afterEach(() => api.close());

async function run(argv: string[], io: Partial<CliIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: BACKEND_ENV,
    clock: fakeClock().clock,
    identities: { get: () => undefined, set: () => undefined, delete: () => undefined },
    readBytes: async (path) => {
      if (path !== 'id.jpg') throw new Error(`ENOENT: no such file, open '${path}'`);
      return PHOTO;
    },
    ...io,
  });
  return { code, stdout, stderr };
}

const bodies = (path: string) =>
  api.requests.filter((r) => r.url === `/v1${path}`).map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('check --reference --subject', () => {
  test('matched: exit 0; the photo goes with the backend-signed check, the session carries only the token', async () => {
    const { code, stdout, stderr } = await run([
      'check',
      '--api',
      api.url,
      '--reference',
      'id.jpg',
      '--subject',
      'user-42',
    ]);

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^✔ live \(session [0-9a-f]{8}…\)\n✔ matched the reference photo \(subject user-42, threshold 99\)\n$/,
    );
    expect(stderr).toMatch(
      /^Identity check \(reference\) opened for subject user-42\. Session [0-9a-f-]{36} in eu-west-1/,
    );
    expect(bodies('/identity/checks')).toEqual([
      { subject: 'user-42', method: 'reference', referencePhoto: { bytes: PHOTO.toString('base64') } },
    ]);
    const [check] = [...api.checks.values()];
    expect(bodies('/sessions')).toEqual([{ identityCheck: check!.token }]);
    expect(backendSigners).toEqual([BACKEND.accessKeyId]);
    // The app backend's credentials sign only the backend route; the browser's requests are not signed with them.
    const browserRequests = api.requests.filter((r) => !r.url.startsWith('/v1/identity/'));
    expect(browserRequests.length).toBeGreaterThan(0);
    expect(browserRequests.every((r) => !String(r.headers.authorization ?? '').includes(BACKEND.accessKeyId))).toBe(
      true,
    );
  });

  test('an S3 reference is sent as the object, a stricter --threshold with it', async () => {
    const { code } = await run([
      'check',
      '--api',
      api.url,
      '--reference',
      's3://id-documents/scans/user-42.jpg',
      '--subject',
      'user-42',
      '--threshold',
      '99.5',
    ]);
    expect(code).toBe(0);
    expect(bodies('/identity/checks')).toEqual([
      {
        subject: 'user-42',
        method: 'reference',
        referencePhoto: { s3Object: { bucket: 'id-documents', name: 'scans/user-42.jpg' } },
        threshold: 99.5,
      },
    ]);
  });

  test.each([
    [
      'BELOW_THRESHOLD',
      /✘ not matched: BELOW_THRESHOLD — the faces are not similar enough\. \(subject user-42, threshold 99\)/,
    ],
    ['NO_FACE_IN_REFERENCE', /✘ not matched: NO_FACE_IN_REFERENCE — the reference photo has no face\./],
    ['MULTIPLE_FACES', /✘ not matched: MULTIPLE_FACES — the reference photo has more than one face\./],
  ] as const)('not matched (%s): exit 1 with the reason printed', async (reason, line) => {
    decide = () => ({ matched: false, reason });
    const { code, stdout } = await run(['check', '--api', api.url, '--reference', 'id.jpg', '--subject', 'user-42']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✔ live/);
    expect(stdout).toMatch(line);
  });

  test('not live: exit 1 and never matched, whatever the photo', async () => {
    await api.close();
    api = await startFakeLivenessApi({ script: [notLive()], authorizeBackend: () => undefined });
    const { code, stdout } = await run(['check', '--api', api.url, '--reference', 'id.jpg', '--subject', 'user-42']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✘ not live: LOW_CONFIDENCE.*\n✘ not matched: NOT_LIVE — the check was not live/);
  });

  test('--json: one object with the verdict and the identity outcome, no similarity', async () => {
    const { code, stdout } = await run([
      'check',
      '--api',
      api.url,
      '--reference',
      'id.jpg',
      '--subject',
      'user-42',
      '--json',
    ]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      ok: true,
      isLive: true,
      identity: { method: 'reference', subject: 'user-42', matched: true, threshold: 99 },
    });
    expect(stdout).not.toMatch(/similarity/);
  });

  test('a similarity is printed only when the server exposed it', async () => {
    await api.close();
    api = await startFakeLivenessApi({
      script: [
        live({
          identity: { method: 'reference', subject: 'user-42', matched: true, threshold: 99, similarity: 99.52 },
        }),
      ],
      authorizeBackend: () => undefined,
    });
    const { stdout } = await run(['check', '--api', api.url, '--reference', 'id.jpg', '--subject', 'user-42']);
    expect(stdout).toMatch(/✔ matched the reference photo \(subject user-42, threshold 99, similarity 99\.5\)/);
  });

  test('a result without the outcome of this check is an error (exit 2), never a match', async () => {
    await api.close();
    api = await startFakeLivenessApi({
      script: [live({ identity: { method: 'reference', subject: 'someone-else', matched: true, threshold: 99 } })],
      authorizeBackend: () => undefined,
    });
    const { code, stdout } = await run(['check', '--api', api.url, '--reference', 'id.jpg', '--subject', 'user-42']);
    expect(code).toBe(2);
    expect(stdout).toMatch(/✘ error: the result carries no outcome of the identity check opened for subject user-42/);
  });

  test('an unreadable reference file: exit 2 before any request', async () => {
    const { code, stderr } = await run(['check', '--api', api.url, '--reference', 'nope.jpg', '--subject', 'u']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read the reference photo nope\.jpg/);
    expect(api.requests).toHaveLength(0);
  });

  test('a file that is not a JPEG or PNG: exit 2 before any request', async () => {
    const { code, stderr } = await run(['check', '--api', api.url, '--reference', 'id.jpg', '--subject', 'u'], {
      readBytes: async () => Buffer.from('GIF89a...'),
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/must be a JPEG or a PNG/);
    expect(api.requests).toHaveLength(0);
  });
});

describe('enrol, verify, erase', () => {
  test('verify before any enrolment: exit 1, SUBJECT_NOT_ENROLLED', async () => {
    const { code, stdout } = await run(['verify', '--api', api.url, '--subject', 'user-42']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✘ not matched: SUBJECT_NOT_ENROLLED — no face is enrolled for this subject\./);
    expect(bodies('/identity/checks')).toEqual([{ subject: 'user-42', method: 'enrolled' }]);
  });

  test('enrol, then verify: both exit 0; erase, then verify: exit 1', async () => {
    const enrol = await run(['enrol', '--api', api.url, '--subject', 'user-42']);
    expect(enrol.code).toBe(0);
    expect(enrol.stdout).toMatch(/\n✔ enrolled \(subject user-42, threshold 99\)\n$/);

    const verify = await run(['verify', '--api', api.url, '--subject', 'user-42']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/\n✔ matched the enrolled face \(subject user-42, threshold 99\)\n$/);

    const erase = await run(['erase', '--api', api.url, '--subject', 'user-42']);
    expect(erase).toMatchObject({
      code: 0,
      stdout: '✔ erased subject user-42: 1 enrolled face and 0 reference photos deleted\n',
    });
    expect(api.requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/v1/identity/subjects/user-42' });

    const again = await run(['verify', '--api', api.url, '--subject', 'user-42']);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/SUBJECT_NOT_ENROLLED/);
    expect(backendSigners.every((s) => s === BACKEND.accessKeyId)).toBe(true);
  });

  test('an enrolment refused as a duplicate: exit 1, "not enrolled" with the reason', async () => {
    decide = () => ({ matched: false, reason: 'FACE_ENROLLED_FOR_ANOTHER_SUBJECT' });
    const { code, stdout } = await run(['enrol', '--api', api.url, '--subject', 'user-43']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✘ not enrolled: FACE_ENROLLED_FOR_ANOTHER_SUBJECT — this face is already enrolled/);
    expect(api.enrolled.has('user-43')).toBe(false);
  });

  test('erase --json: the counts as one object; erasing nothing is a success', async () => {
    const { code, stdout } = await run(['erase', '--api', api.url, '--subject', 'nobody', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ ok: true, subject: 'nobody', facesDeleted: 0, referencePhotosDeleted: 0 });
  });
});

describe('the app backend credentials', () => {
  test('a deployment without AWS_ACCESS_KEY_ID: exit 2 naming the variables, nothing sent', async () => {
    const { code, stderr } = await run(['enrol', '--api', api.url, '--subject', 'u'], { env: {} });
    expect(code).toBe(2);
    expect(stderr).toMatch(/set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY .*grantIdentityChecks/);
    expect(api.requests).toHaveLength(0);
  });

  test('credentials the API does not grant: exit 2 with its 403, and the hint names the identity prop and the grant', async () => {
    const { code, stderr } = await run(['erase', '--api', api.url, '--subject', 'u'], {
      env: { ...BACKEND_ENV, AWS_SECRET_ACCESS_KEY: 'wrong' },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/FORBIDDEN \(HTTP 403\)/);
    expect(stderr).toMatch(/exist only with the construct’s identity prop.*grantIdentityChecks/);
    // Not the browser's hint: --config is about guest credentials, not these.
    expect(stderr).not.toMatch(/pass --config/);
  });

  test('a 403 on the browser half after the check opened keeps the browser hint', async () => {
    api.createSteps.push({ kind: 'error', code: 'FORBIDDEN' });
    const { code, stderr } = await run(['enrol', '--api', api.url, '--subject', 'u']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/pass --config/);
    expect(stderr).not.toMatch(/grantIdentityChecks/);
  });

  test("local mode: signed with local mode's fixed app-backend pair, the session with a guest identity", async () => {
    // GIVEN an API on this machine that knows local mode's backend pair, and local mode's identity stand-in
    await api.close();
    api = await startApi(
      new Map([[LOCAL_BACKEND_CREDENTIALS.accessKeyId, LOCAL_BACKEND_CREDENTIALS]]),
      'us-east-1',
      '',
    );
    const standIn = await startCognitoIdentityStandIn({
      pool: new GuestIdentityPool({ identityPoolId: LOCAL_IDENTITY_POOL_ID }),
      allowedOrigins: [],
      port: 0,
    });
    try {
      // WHEN the CLI runs as against npm start (no --api), with no AWS_* variables at all
      const { code } = await run(['enrol', '--subject', 'user-42'], {
        env: { PORT: new URL(api.url).port, LOCAL_COGNITO_PORT: String(standIn.port) },
      });
      // THEN the check was signed with local mode's pair, and the session with a guest identity's credentials
      expect(code).toBe(0);
      expect(backendSigners).toEqual([LOCAL_BACKEND_CREDENTIALS.accessKeyId]);
      const session = api.requests.find((r) => r.url === '/sessions')!;
      expect(session.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=/);
      expect(session.headers.authorization).not.toContain(LOCAL_BACKEND_CREDENTIALS.accessKeyId);
    } finally {
      await standIn.close();
    }
  });

  test.each([
    [['enrol', '--api', 'x'], /--subject is required/],
    [['verify', '--subject', 'user 42'], /--subject must be 1–128 characters/],
    [['erase'], /--subject is required/],
    [['erase', '--subject', 'u', 'extra'], /unexpected argument 'extra'/],
    [['check', '--subject', 'u'], /--subject needs --reference .* use enrol or verify/],
    [['check', '--reference', 'id.jpg'], /--reference needs --subject/],
    [['check', '--threshold', '99'], /--threshold only makes sense with --reference and --subject/],
    [['check', '--reference', 's3://bucket-only', '--subject', 'u'], /is not s3:\/\/bucket\/key/],
    [
      ['enrol', '--subject', 'u', '--threshold', '0.9'],
      /--threshold 0\.9 reads as a 0–1 ratio: similarities run from 0 to 100/,
    ],
    [['enrol', '--subject', 'u', '--threshold', '101'], /--threshold must be a number from 0 to 100/],
    [['erase', '--subject', 'u', '--threshold', '99'], /unknown option '--threshold'/],
  ])('%p is a usage error: exit 2, nothing sent', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(api.requests).toHaveLength(0);
  });

  test.each([['check'], ['enrol'], ['verify'], ['erase']])(
    '%s --help says whose credentials sign the identity routes, and that profiles are not read',
    async (command) => {
      const { code, stdout } = await run([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN/);
      expect(stdout).toMatch(/Local mode .*fixed app-backend key pair/);
      expect(stdout).toMatch(/Profiles and\s+~\/\.aws files are not read/);
    },
  );
});
