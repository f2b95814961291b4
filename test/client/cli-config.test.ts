/**
 * `face-liveness config`: `cdk deploy --outputs-file` output in, the frontend's config (the web app's file or an
 * amplify_outputs.json) out, or a clear error. The Amplify file is checked against Amplify's published schema types by
 * test/examples/amplify-gen2.test.ts, where @aws-amplify/client-config is installed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELP } from '../../cli/args';
import { amplifyOutputsFrom, frontendConfigFromOutputs } from '../../cli/frontend-config';
import { main } from '../../cli/main';

const STACK_OUTPUTS = {
  ApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/',
  Region: 'us-east-1',
  IdentityPoolId: 'us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  AuthMode: 'iam',
  ImageBucketName: 'facelivenessbackend-imagesbucket-abc',
};
const EXPECTED = {
  region: 'us-east-1',
  apiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1',
  identityPoolId: STACK_OUTPUTS.IdentityPoolId,
  authMode: 'iam',
};

describe('frontendConfigFromOutputs', () => {
  test('takes the only stack and keeps what the browser needs', () => {
    expect(frontendConfigFromOutputs({ FaceLivenessBackend: STACK_OUTPUTS })).toEqual(EXPECTED);
  });

  test('drops the trailing slash of the API URL, since route paths start with one', () => {
    expect(frontendConfigFromOutputs({ S: STACK_OUTPUTS }).apiUrl.endsWith('/v1')).toBe(true);
  });

  test('picks the named stack when there are several', () => {
    const outputs = { Other: { Foo: 'bar' }, Mine: STACK_OUTPUTS };
    expect(frontendConfigFromOutputs(outputs, 'Mine')).toEqual(EXPECTED);
  });

  test('asks for --stack when there are several stacks', () => {
    expect(() => frontendConfigFromOutputs({ A: STACK_OUTPUTS, B: STACK_OUTPUTS })).toThrow(
      /several stacks \(A, B\): choose one with --stack/,
    );
  });

  test('names a stack that is not in the file', () => {
    expect(() => frontendConfigFromOutputs({ A: STACK_OUTPUTS }, 'B')).toThrow(
      /Stack "B" is not in the outputs file \(it has: A\)/,
    );
  });

  test.each(['ApiUrl', 'Region', 'IdentityPoolId', 'AuthMode'])('names the missing output %s', (name) => {
    const { [name as keyof typeof STACK_OUTPUTS]: _dropped, ...rest } = STACK_OUTPUTS;
    expect(() => frontendConfigFromOutputs({ S: rest })).toThrow(
      new RegExp(`Output "${name}" is missing from stack "S"`),
    );
  });

  test.each([
    ['ApiUrl', 'http://abc123.example.com/v1', /is not an https URL/],
    ['Region', 'mars-1', /is not an AWS region/],
    ['IdentityPoolId', 'eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', /is not an identity pool of us-east-1/],
    ['AuthMode', 'apikey', /must be one of iam, cognito, none/],
  ])('rejects a bad %s', (name, value, message) => {
    expect(() => frontendConfigFromOutputs({ S: { ...STACK_OUTPUTS, [name]: value } })).toThrow(message);
  });

  test('rejects a file that is not an outputs file', () => {
    expect(() => frontendConfigFromOutputs([])).toThrow(/must be a JSON object of stacks/);
    expect(() => frontendConfigFromOutputs({})).toThrow(/has no stacks/);
  });
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['config', ...argv], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
  });
  return { code, stdout, stderr };
}

describe('amplifyOutputsFrom', () => {
  test('the backend under custom.faceLiveness; no auth section without a user pool (Amplify requires one there)', () => {
    expect(amplifyOutputsFrom(EXPECTED as never)).toEqual({
      version: '1.4',
      custom: {
        faceLiveness: {
          apiUrl: EXPECTED.apiUrl,
          region: 'us-east-1',
          identityPoolId: EXPECTED.identityPoolId,
          authorization: 'iam',
        },
      },
    });
  });

  test("with the app's user pool, an auth section on the backend's identity pool, guests allowed", () => {
    const outputs = amplifyOutputsFrom(EXPECTED as never, { userPoolId: 'us-east-1_Abc', userPoolClientId: 'client1' });
    expect(outputs['auth']).toEqual({
      aws_region: 'us-east-1',
      user_pool_id: 'us-east-1_Abc',
      user_pool_client_id: 'client1',
      identity_pool_id: EXPECTED.identityPoolId,
      unauthenticated_identities_enabled: true,
    });
  });
});

describe('face-liveness config', () => {
  let dir: string;
  let outputs: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'frontend-config-'));
    outputs = join(dir, 'outputs.json');
    writeFileSync(outputs, JSON.stringify({ FaceLivenessBackend: STACK_OUTPUTS }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('writes the web config file, creating its folder', async () => {
    // GIVEN the outputs file of a deployment
    const out = join(dir, 'web', 'public', 'liveness-config.json');
    // WHEN
    const result = await run([outputs, '--out', out]);
    // THEN
    expect([result.code, result.stderr.trim()]).toEqual([0, `Wrote ${out}`]);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(EXPECTED);
  });

  test('prints it without --out; --format amplify prints an amplify_outputs.json', async () => {
    expect(JSON.parse((await run([outputs])).stdout)).toEqual(EXPECTED);
    const amplify = await run([
      outputs,
      '--format',
      'amplify',
      '--user-pool-id',
      'us-east-1_Abc',
      '--user-pool-client-id',
      'c',
    ]);
    expect(amplify.code).toBe(0);
    expect(JSON.parse(amplify.stdout)).toMatchObject({ version: '1.4', auth: { user_pool_id: 'us-east-1_Abc' } });
  });

  test('exits 2 with the reason on a bad file', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ FaceLivenessBackend: { ApiUrl: STACK_OUTPUTS.ApiUrl } }));
    const result = await run([bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/face-liveness config: Output "Region" is missing/);
    const missing = await run([join(dir, 'none.json')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/cannot read .*none\.json as JSON/)]);
  });

  test.each([
    [[], /the outputs file is missing/],
    [['o.json', '--out'], /option '--out <value>' argument missing/],
    [['o.json', '--verbose'], /unknown option '--verbose'/],
    [['a.json', 'b.json'], /one outputs file only, got 2/],
    [['o.json', '--format', 'ios'], /--format must be one of web, amplify/],
    [['o.json', '--format', 'amplify', '--user-pool-id', 'x'], /--user-pool-id and --user-pool-client-id go together/],
    [['o.json', '--user-pool-id', 'x', '--user-pool-client-id', 'y'], /only make sense with --format amplify/],
  ])('refuses %j, pointing at its help', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/See 'face-liveness config --help'/);
  });

  test('the help names the command, and no help text points at a repository-only script', () => {
    expect(HELP.main).toMatch(/config <outputs>/);
    expect(HELP.config).toMatch(/--format F/);
    for (const text of Object.values(HELP)) expect(text).not.toMatch(/npm run/);
  });
});
