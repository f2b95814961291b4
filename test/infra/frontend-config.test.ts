/** scripts/frontend-config.ts: `cdk deploy --outputs-file` output in, the frontend's config out, or a clear error. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frontendConfigFromOutputs, parseArgs } from '../../scripts/frontend-config';

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

describe('parseArgs', () => {
  test('reads the file, --out and --stack', () => {
    expect(parseArgs(['o.json', '--out', 'web/c.json', '--stack', 'S'])).toEqual({
      outputsFile: 'o.json',
      out: 'web/c.json',
      stack: 'S',
    });
  });

  test.each([
    [[], /Usage: frontend-config/],
    [['o.json', '--out'], /--out needs a value/],
    [['o.json', '--verbose'], /Unknown option --verbose/],
    [['a.json', 'b.json'], /Unexpected argument b.json/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'frontend-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) =>
    spawnSync(
      join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'),
      [join(__dirname, '..', '..', 'scripts', 'frontend-config.ts'), ...args],
      {
        encoding: 'utf8',
      },
    );

  test('writes the config file, creating its folder', () => {
    // GIVEN
    const outputs = join(dir, 'outputs.json');
    writeFileSync(outputs, JSON.stringify({ FaceLivenessBackend: STACK_OUTPUTS }));
    const out = join(dir, 'web', 'public', 'liveness-config.json');
    // WHEN
    const result = run([outputs, '--out', out]);
    // THEN
    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(EXPECTED);
  });

  test('exits 1 with the reason on a bad file', () => {
    const outputs = join(dir, 'bad.json');
    writeFileSync(outputs, JSON.stringify({ FaceLivenessBackend: { ApiUrl: STACK_OUTPUTS.ApiUrl } }));
    const result = run([outputs]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/frontend-config: Output "Region" is missing/);
  });
});
