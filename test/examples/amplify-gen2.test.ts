/**
 * examples/amplify-gen2 as a user gets it: copied OUT of the repository, `npm ci` from its own lockfile with this
 * run's `npm pack` beside it (the lockfile resolves the unpublished package there), then its Amplify backend
 * synthesized offline (it is a CDK app: no AWS account, no `ampx sandbox`), with one identity pool (Amplify's) whose
 * roles get exactly the browser access, its type-check, and its frontend built without an amplify_outputs.json.
 *
 * The copy and its node_modules (about 1.4 GB: @aws-amplify/backend, the Amplify CLI, the frontend) are kept between
 * runs in the temporary directory, keyed by the example's package.json and lockfile and the package's dependencies,
 * and installed again only when one changes (about 2 minutes on 2 cores with a warm npm cache); every run copies the
 * example's files again and replaces the installed face-liveness-backend with this run's tarball, exactly as packed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cfnLintErrors, describeWithCfnLint } from '../support/cfn-lint';
import { npmPack, ROOT } from '../support/pack';
import { isAmplifySnippet, snippetsOfUseItInYourApp } from '../support/readme-snippets';

const EXAMPLE_SOURCE = join(ROOT, 'examples', 'amplify-gen2');
const INSTALLED_STAMP = join('node_modules', '.face-liveness-install-stamp');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  CDK_DISABLE_VERSION_CHECK: '1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AMPLIFY_DISABLE_TELEMETRY: '1',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};

type Resource = { Type: string; Properties: Record<string, any> };
type Template = { Resources: Record<string, Resource>; Outputs?: Record<string, { Value: unknown }> };

/** The copy outside the repository the tests run in (set in beforeAll). */
let EXAMPLE: string;
let work: string;

/** The example's own files: what git would check out, without what an install or a build writes. */
const copyExample = (to: string): void =>
  cpSync(EXAMPLE_SOURCE, to, {
    recursive: true,
    filter: (source) =>
      !/^(node_modules|dist|\.amplify|amplify_outputs\.json|.*\.tgz)(\/|$)/.test(relative(EXAMPLE_SOURCE, source)),
  });

function installExample(): string {
  const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const key = createHash('sha256')
    .update(readFileSync(join(EXAMPLE_SOURCE, 'package.json')))
    .update(readFileSync(join(EXAMPLE_SOURCE, 'package-lock.json')))
    .update(JSON.stringify([rootPackage.version, rootPackage.dependencies, rootPackage.peerDependencies]))
    .digest('hex')
    .slice(0, 16);
  const copy = join(tmpdir(), `face-liveness-amplify-gen2-${key}`);
  // Outside the repository: nothing above it resolves to this checkout (the old `file:../..` could).
  expect(relative(ROOT, copy).startsWith('..')).toBe(true);
  const tarball = npmPack(work).tarball;
  const besideLockfile = join(copy, `face-liveness-backend-${rootPackage.version}.tgz`);
  if (!existsSync(join(copy, INSTALLED_STAMP))) {
    // Earlier copies (other keys) are 1.4 GB each: keep one.
    for (const old of readdirSync(tmpdir()).filter((f) => f.startsWith('face-liveness-amplify-gen2-')))
      rmSync(join(tmpdir(), old), { recursive: true, force: true });
    mkdirSync(copy, { recursive: true });
    copyExample(copy);
    cpSync(tarball, besideLockfile);
    execFileSync('npm', ['ci', '--prefer-offline'], { cwd: copy, env, stdio: 'pipe' });
    writeFileSync(join(copy, INSTALLED_STAMP), key);
  } else {
    copyExample(copy);
    cpSync(tarball, besideLockfile);
  }
  for (const stale of ['dist', 'amplify_outputs.json']) rmSync(join(copy, stale), { recursive: true, force: true });
  // This run's package, exactly as packed (npm ci installed the tarball of the run that made the copy).
  const target = join(copy, 'node_modules', 'face-liveness-backend');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  return copy;
}

function synthesize(outdir: string, extra: NodeJS.ProcessEnv = {}): Template[] {
  execFileSync(join(EXAMPLE, 'node_modules', '.bin', 'tsx'), ['amplify/backend.ts'], {
    cwd: EXAMPLE,
    stdio: 'pipe',
    env: {
      ...env,
      ...extra,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({
        'amplify-backend-namespace': 'ns',
        'amplify-backend-name': 'name',
        'amplify-backend-type': 'sandbox',
      }),
      CDK_DEFAULT_ACCOUNT: '111122223333',
      CDK_DEFAULT_REGION: 'us-east-1',
    },
  });
  return templateFiles(outdir).map((f) => JSON.parse(readFileSync(f, 'utf8')));
}

const templateFiles = (outdir: string) =>
  readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => join(outdir, f));
const resources = (templates: Template[], type: string) =>
  templates.flatMap((t) => Object.values(t.Resources ?? {}).filter((r) => r.Type === type));
const actionsOf = (statements: Array<{ Action: string | string[] }>) =>
  statements.flatMap((s) => [s.Action].flat()).sort();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'face-liveness-amplify-'));
  EXAMPLE = installExample();
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the Amplify Gen 2 backend (IAM authorization)', () => {
  let outdir: string;
  let templates: Template[];
  beforeAll(() => {
    outdir = join(work, 'iam');
    templates = synthesize(outdir);
  }, 120_000);

  test("exactly one identity pool in all templates: Amplify's", () => {
    expect(resources(templates, 'AWS::Cognito::IdentityPool')).toHaveLength(1);
  });

  test.each([
    ['guest', /unauthenticatedUserRole/],
    ['signed-in', /[^n]authenticatedUserRole/],
  ])(
    "Amplify's %s role gets exactly StartFaceLivenessSession and execute-api:Invoke on the two routes from us",
    (_name, roleRef) => {
      const ours = resources(templates, 'AWS::IAM::Policy').filter((p) =>
        roleRef.test(JSON.stringify(p.Properties.Roles)),
      );
      expect(ours).toHaveLength(1);
      const statements = ours[0]!.Properties.PolicyDocument.Statement;
      expect(actionsOf(statements)).toEqual(['execute-api:Invoke', 'rekognition:StartFaceLivenessSession']);
      const invoke = statements.find((s: { Action: unknown }) => s.Action === 'execute-api:Invoke');
      expect(invoke.Resource).toHaveLength(2);
      expect(JSON.stringify(invoke.Resource)).not.toMatch(/"\*"|\/\*\/\*/);
    },
  );

  test('amplify_outputs carries the API URL and the region under custom.faceLiveness', () => {
    const custom = templates.map((t) => t.Outputs?.['customOutputs']).find(Boolean);
    const json = JSON.stringify(custom?.Value);
    expect(json).toMatch(/faceLiveness.*apiUrl.*execute-api/);
    expect(json).toMatch(/\\"region\\":\\"", *\{"Ref":"AWS::Region"\}/);
  });

  test('the functions run the shipped handler assets', () => {
    const functions = resources(templates, 'AWS::Lambda::Function').filter((f) =>
      /Face Liveness/.test(f.Properties.Description ?? ''),
    );
    expect(functions).toHaveLength(3);
    for (const f of functions) {
      const dir = join(outdir, `asset.${String(f.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      expect(readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
    }
  });

  describeWithCfnLint('cfn-lint', () => {
    test('zero errors in every template', () => {
      expect(cfnLintErrors(templateFiles(outdir))).toEqual([]);
    });
  });
});

test("with LIVENESS_AUTHORIZATION=cognito, the API accepts Amplify's user pool and there is still one identity pool", () => {
  const templates = synthesize(join(work, 'cognito'), { LIVENESS_AUTHORIZATION: 'cognito' });
  expect(resources(templates, 'AWS::Cognito::IdentityPool')).toHaveLength(1);
  const authorizers = resources(templates, 'AWS::ApiGateway::Authorizer');
  expect(authorizers).toHaveLength(1);
  expect(authorizers[0]!.Properties.Type).toBe('COGNITO_USER_POOLS');
  expect(JSON.stringify(authorizers[0]!.Properties.ProviderARNs)).toMatch(/amplifyAuthUserPool/);
}, 120_000);

test('without amplify_outputs.json, the frontend builds (tsc + vite) with the sample outputs, and carries no CDK', () => {
  expect(existsSync(join(EXAMPLE, 'amplify_outputs.json'))).toBe(false);
  execFileSync('npm', ['run', 'build'], { cwd: EXAMPLE, env, stdio: 'pipe' });
  expect(readdirSync(join(EXAMPLE, 'dist'))).toContain('index.html');
  const scripts = readdirSync(join(EXAMPLE, 'dist', 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(EXAMPLE, 'dist', 'assets', f), 'utf8'));
  expect(scripts.length).toBeGreaterThan(0);
  const sample = JSON.parse(readFileSync(join(EXAMPLE, 'amplify_outputs.sample.json'), 'utf8'));
  expect(scripts.some((js) => js.includes(sample.custom.faceLiveness.apiUrl))).toBe(true);
  // The client entry keeps CDK out of the frontend bundle.
  for (const js of scripts) expect(js).not.toMatch(/aws-cdk-lib|CfnResource/);
}, 300_000);

test('npm run typecheck passes: the frontend (with the sample outputs) and the Amplify backend, with its own @types/node', () => {
  execFileSync('npm', ['run', 'typecheck'], { cwd: EXAMPLE, env, stdio: 'pipe' });
}, 300_000);

test("the Amplify CLI (ampx) and the CDK CLI are the example's own: npx runs them without fetching anything", () => {
  const run = (bin: string) =>
    execFileSync('npm', ['exec', '--no-install', '--', bin, '--version'], {
      cwd: EXAMPLE,
      env,
      encoding: 'utf8',
    }).trim();
  const devDependencies = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8')).devDependencies;
  expect(run('ampx')).toBe(devDependencies['@aws-amplify/backend-cli']);
  expect(run('cdk')).toMatch(new RegExp(`^${devDependencies['aws-cdk'].replace(/\./g, '\\.')} `));
}, 120_000);

test("the installed CLI's `config --format amplify` writes files that type-check as Amplify's published outputs schema (1.4)", () => {
  // GIVEN a deployment's outputs file and the package's CLI as installed here
  const outputs = join(work, 'cdk-outputs.json');
  writeFileSync(
    outputs,
    JSON.stringify({
      App: {
        ApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/',
        Region: 'us-east-1',
        IdentityPoolId: 'us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        AuthMode: 'iam',
      },
    }),
  );
  const config = (out: string, ...extra: string[]) =>
    execFileSync(
      'npm',
      ['exec', '--no-install', '--', 'face-liveness', 'config', outputs, '--format', 'amplify', '--out', out, ...extra],
      { cwd: EXAMPLE, env, stdio: 'pipe' },
    );
  // WHEN it writes both variants
  config(join(work, 'plain.json'));
  config(join(work, 'with-pool.json'), '--user-pool-id', 'us-east-1_AbCdEf123', '--user-pool-client-id', 'abcdefghij');
  // THEN each is assignable to @aws-amplify/client-config's type, excess properties refused (object literals)
  const file = join(EXAMPLE, 'amplify-outputs-check.ts');
  const literal = (name: string) => readFileSync(join(work, name), 'utf8').trim();
  writeFileSync(
    file,
    [
      "import type { clientConfigTypesV1_4 } from '@aws-amplify/client-config';",
      'type Outputs = clientConfigTypesV1_4.AWSAmplifyBackendOutputs;',
      `export const plain: Outputs = ${literal('plain.json')};`,
      `export const withPool: Outputs = ${literal('with-pool.json')};`,
      '// @ts-expect-error the type is real: another version is refused',
      "export const wrong: Outputs = { version: '9' };",
      '',
    ].join('\n'),
  );
  try {
    execFileSync(
      join(EXAMPLE, 'node_modules', '.bin', 'tsc'),
      [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'preserve',
        '--moduleResolution',
        'bundler',
        '--types',
        'node',
        file,
      ],
      { cwd: EXAMPLE, env, stdio: 'pipe' },
    );
  } finally {
    rmSync(file, { force: true });
  }
}, 120_000);

test("the README's Amplify Gen 2 snippet type-checks as amplify/backend.ts would, against the packed library", () => {
  const snippets = snippetsOfUseItInYourApp().filter(isAmplifySnippet);
  expect(snippets).toHaveLength(1);
  // Next to backend.ts, so its `./auth/resource` import resolves; removed again whatever happens.
  const file = join(EXAMPLE, 'amplify', 'readme-snippet.ts');
  writeFileSync(file, snippets[0]!);
  try {
    execFileSync(
      join(EXAMPLE, 'node_modules', '.bin', 'tsc'),
      [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--target',
        'ES2022',
        '--module',
        'ES2022',
        '--moduleResolution',
        'bundler',
        '--esModuleInterop',
        '--resolveJsonModule',
        '--types',
        'node',
        'amplify/readme-snippet.ts',
      ],
      { cwd: EXAMPLE, env, stdio: 'pipe' },
    );
  } finally {
    rmSync(file, { force: true });
  }
}, 300_000);
