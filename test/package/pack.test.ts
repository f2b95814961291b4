/**
 * The package as a user gets it: `npm pack`, then in a fresh directory outside the repository a minimal CDK app that
 * installs only the tarball and its peers, synthesizes with defaults and with brought roles, and runs the CLI.
 * Installing takes ~10 s from the npm cache (the peers are the versions this repository uses); `cdk synth` ~10 s.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cfnLintErrors, describeWithCfnLint } from '../support/cfn-lint';
import { HANDLER_NAMES } from '../../lib/handler-assets';
import { npmPack, ROOT } from '../support/pack';
import { live, pending, startFakeLivenessApi } from '../client/support/fake-liveness-api';

// The functions a default stack deploys; the package also ships the traced variants (HANDLER_NAMES).
const HANDLERS = ['create-session', 'get-result', 'jwks'];
const versionOf = (pkg: string): string =>
  JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  CDK_DISABLE_VERSION_CHECK: '1',
  AWS_EC2_METADATA_DISABLED: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};

const APP = `
const { App, Stack } = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const { FaceLivenessBackend } = require('face-liveness-backend');

const app = new App();
const env = { account: '111122223333', region: 'us-east-1' };
new FaceLivenessBackend(new Stack(app, 'Defaults', { env }), 'Liveness', { allowedOrigins: ['https://app.example.com'] });
const brought = new Stack(app, 'BroughtRoles', { env });
new FaceLivenessBackend(brought, 'Liveness', {
  allowedOrigins: ['https://app.example.com'],
  existingBrowserRoles: [iam.Role.fromRoleArn(brought, 'Guest', 'arn:aws:iam::111122223333:role/app-guest')],
});
`;

let dir: string;
let packed: string[];
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
const template = (stack: string): Template =>
  JSON.parse(readFileSync(join(dir, 'out', `${stack}.template.json`), 'utf8'));
const ofType = (t: Template, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);

beforeAll(() => {
  // dist/ (JavaScript, .d.ts, handler folders) was built by the test run's global setup, as `npm run build` does.
  dir = mkdtempSync(join(tmpdir(), 'face-liveness-pack-'));
  const { tarball, files } = npmPack(dir);
  packed = [...files];
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true }));
  writeFileSync(join(dir, 'app.js'), APP);
  execFileSync(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      tarball,
      `aws-cdk-lib@${versionOf('aws-cdk-lib')}`,
      `constructs@${versionOf('constructs')}`,
    ],
    { cwd: dir, env, stdio: 'pipe' },
  );
  // The CDK CLI of this repository (the consumer's own would do the same); the app is plain JavaScript.
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'cdk'),
    ['synth', '--app', 'node app.js', '--output', 'out', '--quiet'],
    { cwd: dir, env, stdio: 'pipe' },
  );
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('package.json is ready for a registry: who, where, the keywords the CDK ecosystem indexes, side effects', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const repo = 'github.com/face-liveness-backend/face-liveness-backend';
    expect(pkg.author).toBeDefined();
    expect(pkg.repository.url).toContain(repo);
    expect(pkg.homepage).toContain(repo);
    expect(pkg.bugs.url).toContain(`${repo}/issues`);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['awscdk', 'aws-cdk', 'cdk-construct']));
    // Only the CLI runs code when loaded; the library, client and server entries are free to tree-shake. esbuild reads
    // this list when it bundles the handlers from this repository, so the traced handlers' bare import of the tracer
    // must be on it too, or the traced bundles silently lose Powertools Tracer (test/bench/bundle-contents.test.ts).
    expect(pkg.sideEffects).toEqual(['./cli/bin.cjs', './dist/cli/run.js', './lambda/shared/tracer.ts']);
    expect(pkg.files.filter((f: string) => /^(dist\/)?(test|bench|lambda)\//.test(f))).toEqual([]);
  });

  test('ships the built construct, client, CLI and handlers, and no tests, benchmark, web sources, emulators or TypeScript sources', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'dist/client/index.js',
        'cli/bin.cjs',
        'LICENSE',
        'CHANGELOG.md',
        'SECURITY.md',
        ...HANDLER_NAMES.map((h) => `dist/handlers/${h}/index.js`),
      ]),
    );
    expect(packed.filter((p) => /^(test|bench|web|local|lambda|scripts|bin|examples)\//.test(p))).toEqual([]);
    // The handlers ship as their prebuilt bundles only: no handler source, compiled or not.
    expect(
      packed.filter((p) => p.startsWith('dist/lambda/') || p.startsWith('dist/test/') || p.startsWith('dist/bench/')),
    ).toEqual([]);
    expect(packed.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
  });

  test('ships the React entry, whose React and Amplify UI peers are optional: a CDK app installs neither', () => {
    expect(packed).toEqual(expect.arrayContaining(['dist/react/index.js', 'dist/react/index.d.ts']));
    for (const peer of ['react', 'react-dom', '@aws-amplify/ui-react-liveness', 'aws-amplify']) {
      expect(existsSync(join(dir, 'node_modules', peer))).toBe(false);
    }
  });

  test('the consumer has no esbuild, tsx or TypeScript installed: nothing could bundle or compile at synth', () => {
    for (const tool of ['esbuild', 'tsx', 'typescript']) {
      expect(
        spawnSync(process.execPath, ['-e', `require.resolve(${JSON.stringify(tool)})`], { cwd: dir }).status,
      ).not.toBe(0);
    }
  });

  test.each(['Defaults', 'BroughtRoles'])(
    '%s: three functions (create session, get result, JWK Set) whose code is the shipped handler assets, unchanged',
    (stack) => {
      const functions = ofType(template(stack), 'AWS::Lambda::Function');
      expect(functions).toHaveLength(HANDLERS.length);
      const shipped = HANDLERS.map((h) =>
        readFileSync(join(dir, 'node_modules', 'face-liveness-backend', 'dist', 'handlers', h, 'index.js'), 'utf8'),
      ).sort();
      const deployed = functions
        .map((f) => String(f.Properties.Code.S3Key).replace(/\.zip$/, ''))
        .map((hash) => readFileSync(join(dir, 'out', `asset.${hash}`, 'index.js'), 'utf8'))
        .sort();
      expect(deployed).toEqual(shipped);
      for (const f of functions) expect(f.Properties.Handler).toBe('index.handler');
      // The asset folders hold the shipped files only (a synth-time bundle would also write its own files here).
      for (const f of functions)
        expect(
          readdirSync(join(dir, 'out', `asset.${String(f.Properties.Code.S3Key).replace(/\.zip$/, '')}`)).sort(),
        ).toEqual(['index.js', 'index.js.map']);
    },
  );

  test('with defaults, the construct creates one identity pool', () => {
    expect(ofType(template('Defaults'), 'AWS::Cognito::IdentityPool')).toHaveLength(1);
  });

  test('with brought roles, no identity pool and no browser role is created; the brought role gets exactly the browser access', () => {
    const t = template('BroughtRoles');
    expect(ofType(t, 'AWS::Cognito::IdentityPool')).toHaveLength(0);
    expect(
      ofType(t, 'AWS::IAM::Role').filter((r) =>
        JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('cognito-identity'),
      ),
    ).toHaveLength(0);
    const policies = ofType(t, 'AWS::IAM::Policy').filter(
      (p) => JSON.stringify(p.Properties.Roles) === JSON.stringify(['app-guest']),
    );
    expect(policies).toHaveLength(1);
    const actions = policies[0]!.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) =>
      [s.Action].flat(),
    ).sort();
    expect(actions).toEqual(['execute-api:Invoke', 'rekognition:StartFaceLivenessSession']);
  });

  test('importing face-liveness-backend/client loads no aws-cdk-lib or constructs module', () => {
    const script = "require('face-liveness-backend/client'); console.log(JSON.stringify(Object.keys(require.cache)))";
    const loaded: string[] = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' }));
    expect(loaded.some((p) => p.includes('face-liveness-backend'))).toBe(true);
    expect(loaded.filter((p) => /[\\/]node_modules[\\/](aws-cdk-lib|constructs)[\\/]/.test(p))).toEqual([]);
  });

  test('face-liveness-backend/server (Node-only: consumeVerdict) resolves to the built helper, typed', () => {
    const script = "console.log(require.resolve('face-liveness-backend/server'))";
    const resolved = execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' }).trim();
    expect(resolved).toMatch(/[\\/]face-liveness-backend[\\/]dist[\\/]client[\\/]server\.js$/);
    expect(readFileSync(resolved, 'utf8')).toMatch(/consumeVerdict/);
    expect(packed).toEqual(expect.arrayContaining(['dist/client/server.d.ts', 'dist/client/consume-verdict.js']));
  });

  test('npx face-liveness check --api <url> runs from the installed package (no tsx)', async () => {
    const api = await startFakeLivenessApi({ script: [pending(0), live()] });
    try {
      const { LIVENESS_API_URL: _url, PORT: _port, ...rest } = env;
      const child = spawn(join(dir, 'node_modules', '.bin', 'face-liveness'), ['check', '--api', api.url, '--json'], {
        cwd: dir,
        env: rest,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ isLive: true });
    } finally {
      await api.close();
    }
  });
});

describeWithCfnLint('cfn-lint on the consumer app templates', () => {
  test('zero errors', () => {
    expect(cfnLintErrors(['Defaults', 'BroughtRoles'].map((s) => join(dir, 'out', `${s}.template.json`)))).toEqual([]);
  });
});
