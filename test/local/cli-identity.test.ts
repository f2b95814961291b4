/**
 * The CLI against local mode keeps its guest identity between runs: a session belongs to the identity that created
 * it, so `create` in one run and `result <id>` in the next must sign with the same identity.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { identityCachePath } from '../../cli/identity-cache';
import { LOCAL_IDENTITY_POOL_ID } from '../../contract/local-mode';
import { GuestIdentityPool, startCognitoIdentityStandIn } from '../../local/emulators/cognito-identity';
import { startLocalBackend, type LocalBackend } from '../../local/stack';

let stack: LocalBackend;

beforeAll(async () => {
  stack = await startLocalBackend({ apiPort: 0, emulatorPort: 0, cognitoPort: 0 });
});

afterAll(async () => {
  await stack.close();
});

/** One CLI run as a user would type it: no --api (npm start's API, found by PORT), a temporary cache directory. */
async function cli(
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { PORT: String(stack.api.port), LOCAL_COGNITO_PORT: String(stack.identity.port), ...env },
  });
  return { code, stdout, stderr };
}

const newCacheHome = (): string => mkdtempSync(join(tmpdir(), 'face-liveness-cache-'));

test('create, then result <id> in the next run: the session is found', async () => {
  // GIVEN a fresh cache directory
  const env = { XDG_CACHE_HOME: newCacheHome() };

  // WHEN one run creates a session and the next asks for its result
  const created = await cli(['create', '--json'], env);
  expect(created.code).toBe(0);
  const { sessionId } = JSON.parse(created.stdout) as { sessionId: string };
  const result = await cli(['result', sessionId, '--json'], env);

  // THEN the second run signs as the same identity and the API answers with the session's result
  expect(result.stderr).not.toMatch(/SESSION_NOT_FOUND/);
  expect([0, 1, 3]).toContain(result.code);
  expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, sessionId });
});

test('the identity file is readable by its owner only, in a private directory, and holds no credentials', async () => {
  const cacheHome = newCacheHome();
  await cli(['create'], { XDG_CACHE_HOME: cacheHome });

  const file = identityCachePath({ XDG_CACHE_HOME: cacheHome });
  expect(file).toBe(join(cacheHome, 'face-liveness', 'identities.json'));
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(join(cacheHome, 'face-liveness')).mode & 0o777).toBe(0o700);
  const text = readFileSync(file, 'utf8');
  expect(text).toMatch(/us-east-1:[0-9a-f-]{36}/);
  expect(text).not.toMatch(/SecretKey|secretAccessKey|SessionToken|sessionToken/);
});

test('without XDG_CACHE_HOME, the identity is kept under $HOME/.cache', async () => {
  const home = newCacheHome();
  await cli(['create'], { HOME: home });
  expect(statSync(join(home, '.cache', 'face-liveness', 'identities.json')).mode & 0o777).toBe(0o600);
});

test('--new-identity starts over: the earlier identity’s session is not found, and the message says why it may not be', async () => {
  const env = { XDG_CACHE_HOME: newCacheHome() };
  const created = await cli(['create', '--json'], env);
  const { sessionId } = JSON.parse(created.stdout) as { sessionId: string };

  const result = await cli(['result', sessionId, '--new-identity'], env);

  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/SESSION_NOT_FOUND \(HTTP 404\) — .*another identity/);
  expect(result.stderr).toMatch(/only found for the identity that created it.*--new-identity/);
  // The new identity is the one kept now: the next run without the flag is that identity too.
  const again = await cli(['result', sessionId], env);
  expect(again.code).toBe(2);
});

test('a kept identity the stand-in no longer knows (local mode restarted) is replaced by a new one', async () => {
  // GIVEN a cache naming an identity this stand-in never issued
  const cacheHome = newCacheHome();
  const file = identityCachePath({ XDG_CACHE_HOME: cacheHome });
  mkdirSync(join(cacheHome, 'face-liveness'), { recursive: true });
  const stale = 'us-east-1:11111111-1111-4111-8111-111111111111';
  const first = await cli(['create'], { XDG_CACHE_HOME: cacheHome });
  expect(first.code).toBe(0);
  const cached = JSON.parse(readFileSync(file, 'utf8')) as { identities: Record<string, { identityId: string }> };
  for (const entry of Object.values(cached.identities)) entry.identityId = stale;
  writeFileSync(file, JSON.stringify(cached));

  // WHEN the CLI runs again
  const created = await cli(['create'], { XDG_CACHE_HOME: cacheHome });

  // THEN it works, and keeps the new identity instead of the stale one
  expect(created.code).toBe(0);
  expect(readFileSync(file, 'utf8')).not.toContain(stale);
});

test('credentials from another local mode’s identity stand-in: the hint names LOCAL_COGNITO_PORT, not region and clock', async () => {
  // GIVEN another stand-in (another local mode's) where LOCAL_COGNITO_PORT points
  const other = await startCognitoIdentityStandIn({
    pool: new GuestIdentityPool({ identityPoolId: LOCAL_IDENTITY_POOL_ID }),
    allowedOrigins: [],
    port: 0,
  });
  try {
    // WHEN the CLI calls this local API with that stand-in's credentials
    const { code, stderr } = await cli(['create'], {
      XDG_CACHE_HOME: newCacheHome(),
      LOCAL_COGNITO_PORT: String(other.port),
    });

    // THEN the hint names the stand-in it used and the variable to change
    expect(code).toBe(2);
    expect(stderr).toMatch(/INVALID_SIGNATURE/);
    expect(stderr).toContain(`identity stand-in at http://127.0.0.1:${other.port}/`);
    expect(stderr).toMatch(/set LOCAL_COGNITO_PORT/);
    const hint = stderr.split('\n')[1] ?? '';
    expect(hint).not.toMatch(/region|clock/);
  } finally {
    await other.close();
  }
});
