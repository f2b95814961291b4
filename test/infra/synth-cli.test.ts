/**
 * `cdk synth` works offline, without AWS credentials or Docker, with the nag packs on, and bundles each handler with the
 * AWS SDK inside and a source map next to it. Slow (a real CLI run with esbuild), so it is the only test of its kind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CDK = join(ROOT, 'node_modules', '.bin', 'cdk');

/** The environment of a machine with no AWS account: no credentials, no profile, no metadata service. */
function offlineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('CDK_')) env[k] = v;
  return { ...env, CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

describe('cdk synth (CLI, offline)', () => {
  let out: string;
  let result: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'face-liveness-synth-'));
    result = spawnSync(CDK, ['synth', '--quiet', '--output', out], {
      cwd: ROOT,
      // The CLI resolves the region itself (AWS_REGION, the profile, else us-east-1) and hands it to the app.
      env: offlineEnv({ AWS_REGION: 'us-east-1' }),
      encoding: 'utf8',
      timeout: 120_000,
    });
  }, 130_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('exits 0 and writes the template', () => {
    if (result.status !== 0)
      throw new Error(`cdk synth failed (${result.status}):\n${result.stderr}\n${result.stdout}`);
    expect(existsSync(join(out, 'FaceLivenessBackend.template.json'))).toBe(true);
  });

  test('each function bundle contains the AWS SDK and has a source map', () => {
    const template = JSON.parse(readFileSync(join(out, 'FaceLivenessBackend.template.json'), 'utf8'));
    const ours = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(ours).toHaveLength(3);
    const bundles = readdirSync(out).filter((d) => d.startsWith('asset.') && existsSync(join(out, d, 'index.js')));
    expect(bundles).toHaveLength(3);
    for (const dir of bundles) {
      const code = readFileSync(join(out, dir, 'index.js'), 'utf8');
      // Booleans, so a failure does not print half a megabyte of minified code. (The SDK's optional CRT/SigV4a
      // requires stay in the bundle by design: they sit in try/catch and are never needed here.)
      expect(/require\(["']@aws-sdk\/client-/.test(code)).toBe(false);
      // The two session handlers call Rekognition; the JWK Set handler calls KMS only.
      expect(code.includes('FaceLivenessSession') || code.includes('GetPublicKey')).toBe(true);
      expect(existsSync(join(out, dir, 'index.js.map'))).toBe(true);
    }
  });
});
