/**
 * examples/amplify-gen2: its Amplify backend synthesizes offline (it is a CDK app: no AWS account, no `ampx sandbox`),
 * with one identity pool (Amplify's) whose roles get exactly the browser access, and its frontend builds.
 *
 * The example's node_modules (about 1.2 GB, @aws-amplify/backend and the frontend) are installed once and kept
 * between runs, reinstalled only when its package.json or lockfile changes (about 2 minutes on 2 cores with a warm npm
 * cache); the face-liveness-backend package in it is replaced with this run's `npm pack` every time.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cfnLintErrors, describeWithCfnLint } from '../support/cfn-lint';
import { npmPack, ROOT } from '../support/pack';
import { isAmplifySnippet, snippetsOfUseItInYourApp } from '../support/readme-snippets';

const EXAMPLE = join(ROOT, 'examples', 'amplify-gen2');
const STAMP = join(EXAMPLE, 'node_modules', '.face-liveness-install-stamp');
const env: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true' };

type Resource = { Type: string; Properties: Record<string, any> };
type Template = { Resources: Record<string, Resource>; Outputs?: Record<string, { Value: unknown }> };

let work: string;

function installExample(): void {
  const wanted = createHash('sha256')
    .update(readFileSync(join(EXAMPLE, 'package.json')))
    .update(readFileSync(join(EXAMPLE, 'package-lock.json')))
    .digest('hex');
  if (!existsSync(STAMP) || readFileSync(STAMP, 'utf8') !== wanted) {
    // `npm install` with the committed lockfile: `npm ci` rejects Amplify's nested peer dependencies as missing.
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: EXAMPLE,
      env,
      stdio: 'pipe',
    });
    writeFileSync(STAMP, wanted);
  }
  // This run's package, exactly as packed (the example depends on it by `file:../..` with install-links).
  const target = join(EXAMPLE, 'node_modules', 'face-liveness-backend');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', npmPack(work).tarball, '-C', target, '--strip-components=1']);
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
  installExample();
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

test('the frontend builds (tsc + vite) against an amplify_outputs.json', () => {
  // What `ampx sandbox` would write, with placeholder ids (the build only needs the shape).
  writeFileSync(
    join(EXAMPLE, 'amplify_outputs.json'),
    JSON.stringify({
      version: '1.4',
      auth: {
        aws_region: 'us-east-1',
        user_pool_id: 'us-east-1_AbCdEf123',
        user_pool_client_id: 'abcdefghijklmnopqrstuvwxyz',
        identity_pool_id: 'us-east-1:00000000-0000-0000-0000-000000000000',
        unauthenticated_identities_enabled: true,
      },
      custom: {
        faceLiveness: {
          apiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/',
          region: 'us-east-1',
          authorization: 'iam',
        },
      },
    }),
  );
  execFileSync('npm', ['run', 'build'], { cwd: EXAMPLE, env, stdio: 'pipe' });
  expect(readdirSync(join(EXAMPLE, 'dist'))).toContain('index.html');
  // The client entry keeps CDK out of the frontend bundle.
  const scripts = readdirSync(join(EXAMPLE, 'dist', 'assets')).filter((f) => f.endsWith('.js'));
  expect(scripts.length).toBeGreaterThan(0);
  for (const f of scripts)
    expect(readFileSync(join(EXAMPLE, 'dist', 'assets', f), 'utf8')).not.toMatch(/aws-cdk-lib|CfnResource/);
});

test('the Amplify backend type-checks (amplify/tsconfig.json)', () => {
  execFileSync(join(EXAMPLE, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'amplify'], {
    cwd: EXAMPLE,
    env,
    stdio: 'pipe',
  });
}, 300_000);

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
