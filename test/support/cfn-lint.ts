/**
 * AWS's CloudFormation linter over synthesized templates. cfn-lint is preinstalled on this project's machines and CI,
 * not on every developer's: without it the lint tests skip with a printed reason (never silently pass).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function cfnLintVersion(): string | undefined {
  const result = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export interface LintFinding {
  readonly file: string;
  readonly rule: string;
  readonly path: string;
  readonly message: string;
}

/**
 * A known false positive: CloudFormation accepts Tags on AWS::CloudWatch::Dashboard (CDK 2.257+ tags dashboards, e.g.
 * with Amplify's stack tags), but cfn-lint 1.51's resource schema predates it (E3002 "'Tags' was unexpected").
 */
function dashboardTags(
  finding: { rule: string; path: readonly unknown[] },
  template: { Resources?: Record<string, { Type: string }> },
): boolean {
  const [section, id, properties, property] = finding.path;
  return (
    finding.rule === 'E3002' &&
    section === 'Resources' &&
    properties === 'Properties' &&
    property === 'Tags' &&
    template.Resources?.[String(id)]?.Type === 'AWS::CloudWatch::Dashboard'
  );
}

interface Match {
  readonly Level: string;
  readonly Rule: { readonly Id: string };
  readonly Message: string;
  readonly Filename: string;
  readonly Location: { readonly Path: readonly unknown[] };
}

/** Runs cfn-lint and returns its errors (warnings and informational findings are left out). */
export function cfnLintErrors(templates: readonly string[]): LintFinding[] {
  const result = spawnSync('cfn-lint', ['--format', 'json', '--', ...templates], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  // Exit codes are a bit mask: 2 errors, 4 warnings, 8 informational; 1 means cfn-lint itself failed.
  if (result.status === null || (result.status & 1) === 1) throw new Error(`cfn-lint failed: ${result.stderr}`);
  return (JSON.parse(result.stdout || '[]') as Match[])
    .filter((m) => m.Level === 'Error')
    .filter(
      (m) => !dashboardTags({ rule: m.Rule.Id, path: m.Location.Path }, JSON.parse(readFileSync(m.Filename, 'utf8'))),
    )
    .map((m) => ({ file: m.Filename, rule: m.Rule.Id, path: m.Location.Path.join('/'), message: m.Message }));
}

/** `describe` when cfn-lint is installed, else a skipped block that says why. */
export function describeWithCfnLint(name: string, body: () => void): void {
  if (cfnLintVersion() === undefined) {
    // eslint-disable-next-line no-console
    console.warn(`${name}: skipped, cfn-lint is not installed here (pip install cfn-lint; CI has it)`);
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
}
