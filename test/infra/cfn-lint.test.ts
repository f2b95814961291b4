/**
 * cfn-lint (CloudFormation's own linter, with the resource specifications) finds no errors in any configuration's
 * template. cfn-lint is a Python tool: installed here and on CI, not on users' machines, so without it these tests are
 * skipped and say why.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { FaceLivenessSettings } from '../../bin/settings';
import { newTestStack, TEST_USER_POOL_ARN } from './support/stack';

const VARIANTS: Array<[string, Partial<FaceLivenessSettings>]> = [
  ['default', {}],
  [
    'KMS, Cognito, no WAF, destroy',
    {
      imageEncryption: 'kms',
      authMode: 'cognito',
      userPoolArn: TEST_USER_POOL_ARN,
      waf: false,
      removalPolicy: 'destroy',
    },
  ],
  ["auth 'none', no guests, no images", { authMode: 'none', allowGuestAccess: false, storeImages: false }],
  ['alarm e-mail, long log retention', { alarmEmail: 'ops@example.com', logRetentionDays: 365 }],
  ['no alarms, no dashboard', { alarms: false, dashboard: false }],
];

const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = probe.status === 0;
if (!available) {
  // eslint-disable-next-line no-console
  console.log('cfn-lint tests skipped: cfn-lint is not installed (pip install cfn-lint); CI runs them.');
}

interface Match {
  readonly Level: string;
  readonly Rule: { readonly Id: string };
  readonly Message: string;
  readonly Location: { readonly Path: readonly unknown[] };
}

(available ? describe : describe.skip)('cfn-lint', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'face-liveness-cfn-lint-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(VARIANTS)(
    '%s: no errors',
    (name, settings) => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(Template.fromStack(newTestStack(settings)).toJSON()));
      const result = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'us-east-1', '--', file], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      // Exit codes are a bit mask: 2 errors, 4 warnings, 8 informational; 1 means cfn-lint itself failed.
      expect(result.status === null || (result.status & 1) === 1 ? result.stderr : '').toBe('');
      const errors = (JSON.parse(result.stdout || '[]') as Match[])
        .filter((m) => m.Level === 'Error')
        .map((m) => `${m.Rule.Id} ${m.Location.Path.join('/')}: ${m.Message}`);
      expect(errors).toEqual([]);
    },
    130_000,
  );
});
