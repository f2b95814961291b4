/**
 * The package as a user gets it: `npm pack`, then in a fresh directory outside the repository a minimal CDK app that
 * installs only the tarball and its peers, synthesizes with defaults and with brought roles, and runs the CLI.
 * Installing takes ~10 s from the npm cache (the peers are the versions this repository uses); `cdk synth` ~10 s.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { cfnLintErrors, describeWithCfnLint } from '../support/cfn-lint';
import { lowestNodeBinary, type LowestNode } from '../support/lowest-node';
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
new FaceLivenessBackend(new Stack(app, 'Defaults', { env }), 'Liveness', {
  allowedOrigins: ['https://app.example.com'],
  frontendOutputs: true,
});
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
        'dist/client/index.mjs',
        'dist/client/index.cjs',
        'dist/client/index.d.ts',
        'dist/client/index.d.mts',
        'dist/cli/run.js',
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
    expect(packed).toEqual(
      expect.arrayContaining([
        'dist/react/index.mjs',
        'dist/react/index.cjs',
        'dist/react/index.d.ts',
        'dist/react/index.d.mts',
        'react/styles.css',
      ]),
    );
    // The component's default look is a stylesheet of its own, reached through the package's exports.
    expect(
      spawnSync(process.execPath, ['-p', "require.resolve('face-liveness-backend/react/styles.css')"], {
        cwd: dir,
        encoding: 'utf8',
      }).stdout,
    ).toMatch(/face-liveness-backend[\\/]react[\\/]styles\.css\s*$/);
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

  test('frontendOutputs: the API URL, region, identity pool id and authorization are stack outputs, under the names face-liveness config reads', () => {
    const outputs = (template('Defaults') as Template & { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(Object.keys(outputs).sort()).toEqual(['ApiUrl', 'AuthMode', 'IdentityPoolId', 'Region']);
    expect(JSON.stringify(outputs['ApiUrl']!.Value)).toMatch(/execute-api/);
    expect(outputs['Region']!.Value).toBe('us-east-1');
    expect(outputs['IdentityPoolId']!.Value).toEqual({ Ref: expect.stringMatching(/IdentityPool/) });
    expect(outputs['AuthMode']!.Value).toBe('iam');
    expect(template('BroughtRoles')).not.toHaveProperty('Outputs');
  });

  test('npx face-liveness config turns the deployed outputs into the frontend file', () => {
    // GIVEN what `cdk deploy --outputs-file` writes for those outputs once deployed
    const deployed = {
      Defaults: {
        ApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/',
        Region: 'us-east-1',
        IdentityPoolId: 'us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        AuthMode: 'iam',
      },
    };
    writeFileSync(join(dir, 'cdk-outputs.json'), JSON.stringify(deployed));
    // WHEN the installed CLI runs
    const bin = join(dir, 'node_modules', '.bin', 'face-liveness');
    execFileSync(bin, ['config', 'cdk-outputs.json', '--out', 'public/liveness-config.json'], {
      cwd: dir,
      stdio: 'pipe',
    });
    // THEN the web app's file has what the browser needs
    expect(JSON.parse(readFileSync(join(dir, 'public', 'liveness-config.json'), 'utf8'))).toEqual({
      region: 'us-east-1',
      apiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1',
      identityPoolId: deployed.Defaults.IdentityPoolId,
      authMode: 'iam',
    });
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

  test('face-liveness-backend/server (verifyAttestation, consumeVerdict) resolves to its ES module and CommonJS builds, typed', () => {
    const resolve = (how: string) =>
      execFileSync(process.execPath, ['--input-type=module', '-e', how], { cwd: dir, encoding: 'utf8' }).trim();
    expect(resolve("console.log(import.meta.resolve('face-liveness-backend/server'))")).toMatch(
      /[\\/]face-liveness-backend[\\/]dist[\\/]client[\\/]server\.mjs$/,
    );
    const required = execFileSync(
      process.execPath,
      ['-e', "console.log(require.resolve('face-liveness-backend/server'))"],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    ).trim();
    expect(required).toMatch(/[\\/]face-liveness-backend[\\/]dist[\\/]client[\\/]server\.cjs$/);
    expect(packed).toEqual(expect.arrayContaining(['dist/client/server.d.ts', 'dist/client/server.d.mts']));
  });

  test.each([
    [
      'client',
      ['createLivenessClient', 'cognitoGuestCredentials', 'LivenessApiError'],
      ['verifyAttestation', 'consumeVerdict'],
    ],
    ['server', ['verifyAttestation', 'consumeVerdict', 'AttestationError'], ['createLivenessClient']],
  ])('face-liveness-backend/%s: import and require give the same exports', (entry, has, hasNot) => {
    const names = (script: string, ...flags: string[]): string[] =>
      JSON.parse(execFileSync(process.execPath, [...flags, '-e', script], { cwd: dir, encoding: 'utf8' }));
    const viaImport = names(
      `const m = await import('face-liveness-backend/${entry}'); console.log(JSON.stringify(Object.keys(m).sort()))`,
      '--input-type=module',
    );
    const viaRequire = names(
      `console.log(JSON.stringify(Object.keys(require('face-liveness-backend/${entry}')).sort()))`,
    );
    expect(viaRequire).toEqual(viaImport);
    expect(viaImport).toEqual(expect.arrayContaining(has));
    for (const name of hasNot) expect(viaImport).not.toContain(name);
  });

  test('a browser bundle using createLivenessClient and cognitoGuestCredentials is at most 30 KB minified, without jose', async () => {
    // GIVEN an app's two-line entry, bundled by esbuild from the installed tarball as a browser app would be
    writeFileSync(
      join(dir, 'browser-entry.mjs'),
      "import { cognitoGuestCredentials, createLivenessClient } from 'face-liveness-backend/client';\n" +
        "export const client = createLivenessClient({ apiUrl: 'https://api.example.com/v1', region: 'us-east-1', credentials: cognitoGuestCredentials({ identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' }) });\n",
    );
    // WHEN it is bundled and minified
    const result = await build({
      absWorkingDir: dir,
      entryPoints: ['browser-entry.mjs'],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const bytes = result.outputFiles[0]!.contents.byteLength;
    process.stdout.write(
      `[pack] browser bundle of createLivenessClient + cognitoGuestCredentials: ${(bytes / 1024).toFixed(1)} KB minified\n`,
    );
    // THEN it fits the budget and carries nothing of jose or the server entry
    expect(bytes).toBeLessThanOrEqual(30 * 1024);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('face-liveness-backend/dist/client/index.mjs'))).toBe(true);
    expect(inputs.filter((input) => /[\\/]jose[\\/]|server\.mjs|consume-verdict/.test(input))).toEqual([]);
  });

  describe('types, as a TypeScript consumer resolves them', () => {
    const USE_CLIENT = [
      "import { createLivenessClient, type LivenessClient } from 'face-liveness-backend/client';",
      "import { verifyAttestation, type AttestationClaims } from 'face-liveness-backend/server';",
      "import * as client from 'face-liveness-backend/client';",
      "export const api: LivenessClient = createLivenessClient({ apiUrl: 'https://api.example.com/v1' });",
      'export const verify: (token: string) => Promise<AttestationClaims> = (token) =>',
      "  verifyAttestation(token, { jwks: 'https://api.example.com/v1/.well-known/jwks.json', issuer: 'urn:app' });",
      '// @ts-expect-error verifying is for the server entry only',
      'export const notInTheBrowserEntry = client.verifyAttestation;',
      '',
    ].join('\n');

    const typecheck = (name: string, compilerOptions: Record<string, unknown>, files: Record<string, string>) => {
      const project = join(dir, `types-${name}`);
      mkdirSync(project, { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(project, file), text);
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            lib: ['ES2022', 'DOM'],
            types: [],
            ...compilerOptions,
          },
          files: Object.keys(files),
        }),
      );
      // The repository's TypeScript: the consumer has none installed (see above).
      const tsc = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project, '--listFiles'],
        {
          cwd: project,
          encoding: 'utf8',
        },
      );
      expect([tsc.status, tsc.stdout.split('\n').filter((line) => /error TS/.test(line))]).toEqual([0, []]);
      return tsc.stdout.split('\n').filter((line) => line.includes('face-liveness-backend'));
    };

    test.each(['node16', 'nodenext'])(
      '%s: an ES module file gets the .d.mts entry, a CommonJS file the .d.ts',
      (mode) => {
        const listed = typecheck(
          mode,
          { module: mode, moduleResolution: mode },
          { 'app.mts': USE_CLIENT, 'app.cts': USE_CLIENT },
        );
        expect(listed).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/dist\/client\/index\.d\.mts$/),
            expect.stringMatching(/dist\/client\/index\.d\.ts$/),
          ]),
        );
      },
    );

    test('bundler', () => {
      typecheck('bundler', { module: 'preserve', moduleResolution: 'bundler' }, { 'app.ts': USE_CLIENT });
    });

    test('node10 (exports unread): typesVersions points the subpaths at the same declarations', () => {
      const listed = typecheck('node10', { module: 'commonjs', moduleResolution: 'node10' }, { 'app.ts': USE_CLIENT });
      expect(listed).toEqual(expect.arrayContaining([expect.stringMatching(/dist\/client\/server\.d\.ts$/)]));
    });
  });

  describe('on the lowest Node that engines names', () => {
    let lowest: LowestNode;
    beforeAll(() => {
      lowest = lowestNodeBinary();
      if (!lowest.node)
        process.stdout.write(
          `[pack] skipped: no Node ${lowest.version} binary: ${'reason' in lowest ? lowest.reason : ''}\n`,
        );
    }, 300_000);
    const run = (args: string[]) =>
      spawnSync(lowest.node!, args, { cwd: dir, encoding: 'utf8', env: { ...env, NODE_OPTIONS: '' } });

    test('engines names a lowest release; its binary comes from the registry', () => {
      expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node).toBe(
        `>=${lowest.version.replace(/\.0\.0$/, '')}`,
      );
      if (lowest.node) expect(run(['--version']).stdout.trim()).toBe(`v${lowest.version}`);
    });

    test.each([
      [
        'require',
        "for (const e of ['', '/client', '/server']) require('face-liveness-backend' + e); console.log('loaded')",
        [],
      ],
      [
        'import',
        "for (const e of ['', '/client', '/server']) await import('face-liveness-backend' + e); console.log('loaded')",
        ['--input-type=module'],
      ],
    ])('%s of the main, client and server entries loads', (_how, script, flags) => {
      if (!lowest.node) return;
      const result = run([...flags, '-e', script]);
      expect([result.status, result.stderr.trim(), result.stdout.trim()]).toEqual([0, '', 'loaded']);
    });

    test('face-liveness --version and check --api run', async () => {
      if (!lowest.node) return;
      const bin = join(dir, 'node_modules', 'face-liveness-backend', 'cli', 'bin.cjs');
      const version = run([bin, '--version']);
      expect([version.status, version.stdout.trim()]).toEqual([
        0,
        JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
      ]);
      const api = await startFakeLivenessApi({ script: [pending(0), live()] });
      try {
        const child = spawn(lowest.node, [bin, 'check', '--api', api.url, '--json'], {
          cwd: dir,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        expect([code, stderr.includes('Error') ? stderr : '']).toEqual([0, '']);
        expect(JSON.parse(stdout)).toMatchObject({ isLive: true });
      } finally {
        await api.close();
      }
    });
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
