/**
 * AWS's CloudFormation linter over synthesized templates. cfn-lint is preinstalled on this project's machines and CI,
 * not on every developer's: without it the lint tests skip with a printed reason (never silently pass).
 */
import { spawnSync } from 'node:child_process';

export function cfnLintVersion(): string | undefined {
  const result = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export interface LintFinding {
  readonly file: string;
  readonly rule: string;
  readonly message: string;
}

/** Runs cfn-lint (parseable output) and returns its errors (rules E*); warnings and informational findings are kept out. */
export function cfnLintErrors(templates: readonly string[]): LintFinding[] {
  const result = spawnSync('cfn-lint', ['-f', 'parseable', '--', ...templates], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error) throw result.error;
  // Parseable lines: file:line:col:endLine:endCol:RULE:message
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parts = line.split(':');
      return { file: parts[0] ?? '', rule: parts[5] ?? '', message: parts.slice(6).join(':') };
    })
    .filter((f) => f.rule.startsWith('E'));
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
