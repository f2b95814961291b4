/**
 * A setting the operator got wrong, or a region without Face Liveness, ends `cdk synth` with the problem in plain words
 * and exit code 1: no Node stack trace around the message. Checked through the real CLI, as an operator runs it.
 * (Warnings stay CDK annotations: test/infra/region-guard.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CDK = join(ROOT, 'node_modules', '.bin', 'cdk');

function cdkSynth(args: string[], region: string): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('CDK_')) env[k] = v;
  const result = spawnSync(CDK, ['synth', '--quiet', ...args], {
    cwd: ROOT,
    env: { ...env, CDK_DISABLE_VERSION_CHECK: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: region },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** Lines of a Node stack trace ("    at fn (file:1:2)"). */
const STACK_LINE = /^\s+at /m;

describe('cdk synth with a problem the operator must fix', () => {
  test('an invalid setting: every problem listed, exit 1, no stack trace', () => {
    const { status, output } = cdkSynth(['-c', 'confidenceThreshold=150', '-c', 'alarmEmail=nobody'], 'us-east-1');
    expect(status).toBe(1);
    expect(output).toContain('confidenceThreshold must be a number from 0 to 100 (got 150)');
    expect(output).toContain('alarmEmail must be an e-mail address (got "nobody")');
    expect(output).not.toMatch(STACK_LINE);
    expect(output).not.toMatch(/SettingsError|node:internal/);
  }, 130_000);

  test('an unsupported region: the message names it and the way out, exit 1, no stack trace', () => {
    const { status, output } = cdkSynth([], 'af-south-1');
    expect(status).toBe(1);
    expect(output).toContain('Amazon Rekognition Face Liveness is not offered in region af-south-1');
    expect(output).toContain('-c allowUnsupportedRegion=true');
    expect(output).not.toMatch(STACK_LINE);
  }, 130_000);
});
