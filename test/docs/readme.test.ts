/**
 * The README documents settings, error codes and regions that are defined in code. These tests fail when the two drift
 * apart: a new setting or error code must be documented, and a documented default must be the real one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ERROR_CODES } from '../../contract/error-codes';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { FACE_LIVENESS_REGIONS } from '../../contract/regions';
import { DEFAULT_SETTINGS, SETTING_NAMES } from '../../lib/settings';
import { synth } from '../infra/support/stack';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

function tableRow(firstCell: string): string | undefined {
  return readme.split('\n').find((line) => line.startsWith(`| \`${firstCell}\` |`));
}

describe('README', () => {
  it.each(SETTING_NAMES.map((name) => [name]))('documents the setting %s with its real default', (name) => {
    const row = tableRow(name);
    expect(row).toBeDefined();
    const documentedDefault = row!.split('|')[2]!.trim();
    const actual = DEFAULT_SETTINGS[name];
    const expected = actual === undefined ? 'none' : `\`${Array.isArray(actual) ? actual.join(',') : String(actual)}\``;
    expect(documentedDefault).toBe(expected);
  });

  it.each(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]))(
    'documents the error code %s with status %i',
    (code, status) => {
      const row = tableRow(String(code));
      expect(row).toBeDefined();
      expect(row!.split('|')[2]!.trim()).toMatch(new RegExp(`^${status}\\b`));
    },
  );

  it('lists every supported region', () => {
    for (const region of FACE_LIVENESS_REGIONS) expect(readme).toContain(`\`${region}\``);
  });
});

describe('documentation links', () => {
  const ROOT = join(__dirname, '..', '..');
  const docs = ['README.md', 'docs/performance.md', 'examples/amplify-gen2/README.md', 'CHANGELOG.md', 'SECURITY.md'];

  it.each(docs.map((d) => [d]))('%s links only to files that exist', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((t) => !/^[a-z]+:/.test(t));
    if (doc === 'README.md')
      expect(targets).toEqual(expect.arrayContaining(['docs/performance.md', 'examples/amplify-gen2/']));
    const missing = targets.filter((t) => !existsSync(join(ROOT, dirname(doc), t)));
    expect(missing).toEqual([]);
  });
});

describe('README, local mode', () => {
  const source = readFileSync(join(__dirname, '..', '..', 'local', 'start.ts'), 'utf8');
  // Every variable `npm start` reads itself (ports, LOCAL_*), and every handler variable it passes on.
  const startVariables = [...source.matchAll(/port\('([A-Z_]+)'|process\.env\.([A-Z_]+)/g)].map((m) => m[1] ?? m[2]!);
  const handlerVariables = Object.values(HANDLER_ENV).filter(
    (name) => !['REKOGNITION_ENDPOINT', 'S3_ENDPOINT', 'DYNAMODB_ENDPOINT', 'SESSION_TABLE_NAME'].includes(name),
  );
  const documented = readme
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!));

  it.each([...new Set([...startVariables, ...handlerVariables, 'LOCAL_AUTH'])].map((name) => [name]))(
    'documents %s in a table',
    (name) => {
      expect(documented).toContain(name);
    },
  );
});

/**
 * The "Operating it" section describes the alarms and the dashboard of the default template: one row per alarm with its
 * real metric, threshold, period and evaluation periods, and the same meaning and first step as the alarm's
 * description; one row per dashboard widget.
 */
describe('README, Operating it', () => {
  const section = readme.slice(
    readme.indexOf('\n## Operating it'),
    readme.indexOf('\n## ', readme.indexOf('\n## Operating it') + 1),
  );
  const rows = (heading: string) => {
    const start = section.indexOf(`\n### ${heading}`);
    const end = section.indexOf('\n### ', start + 1);
    return section
      .slice(start, end === -1 ? undefined : end)
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !/^\| (alarm|widget|log) \|/.test(l))
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
  };
  const template = synth().template.toJSON();
  const alarms = Object.values<any>(template.Resources)
    .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
    .map((r) => r.Properties);
  const alarmId = (props: any) => (props.AlarmDescription as string).split(':')[0]!;
  const alarmRows = rows('Alarms');

  it('has one row per alarm of the default template, and no other', () => {
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarmRows.map((r) => r[0]).sort()).toEqual(alarms.map((a) => `\`${alarmId(a)}\``).sort());
  });

  it.each(alarms.map((a) => [alarmId(a), a]))(
    '%s: the row states its metric, threshold, period and evaluation periods',
    (id, props) => {
      const row = alarmRows.find((r) => r[0] === `\`${id}\``)!;
      const firesWhen = row[1]!;
      expect(firesWhen).toContain(`(\`${props.Threshold}\`)`);
      expect(firesWhen).toContain(props.ComparisonOperator === 'GreaterThanThreshold' ? '>' : '≥');
      const metricNames: string[] = props.MetricName
        ? [props.MetricName]
        : props.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName);
      const periods: number[] = props.Period
        ? [props.Period]
        : props.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Period);
      for (const name of metricNames) expect(firesWhen).toContain(`\`${name}\``);
      for (const period of periods) expect(firesWhen).toContain(`${period / 60}-minute period`);
      expect(firesWhen).toContain(props.EvaluationPeriods === 1 ? 'in one ' : `in ${props.EvaluationPeriods} `);
    },
  );

  it.each(alarms.map((a) => [alarmId(a), a]))('%s: meaning and first step match the alarm description', (id, props) => {
    const row = alarmRows.find((r) => r[0] === `\`${id}\``)!;
    expect(props.AlarmDescription).toBe(`${id}: ${row[2]} First: ${row[3]}`);
  });

  it('lists every dashboard widget, and no other', () => {
    const dashboard = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    const body = (dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[])
      .map((p) => (typeof p === 'string' ? p : 'ref'))
      .join('');
    const titles = (JSON.parse(body).widgets as Array<{ properties: { title: string } }>).map(
      (w) => w.properties.title,
    );
    expect(
      rows('Dashboard')
        .map((r) => r[0])
        .sort(),
    ).toEqual(titles.sort());
  });
});
