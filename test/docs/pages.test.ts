/**
 * The docs pages document settings, error codes, variables, alarms and the table schema that are defined in code.
 * These tests fail when the two drift apart: a new setting, error code, variable or attribute must be documented, and
 * a documented default must be the real one.
 */
import { ERROR_CODES } from '../../contract/error-codes';
import { HANDLER_ENV } from '../../contract/handler-environment';
import { NOT_LIVE_REASONS } from '../../contract/api-types';
import { CONSUME_ATTRIBUTES, SESSION_CREATE_ATTRIBUTES, VERDICT_ATTRIBUTES } from '../../contract/session-table-schema';
import { DEFAULT_SETTINGS, SETTING_NAMES } from '../../bin/settings';
import * as ts from 'typescript';
import { synth } from '../infra/support/stack';
import { readDoc, section, tableRows } from '../support/markdown';

/** The backticked names in the first cell of each table row of `text`. */
const firstCellNames = (text: string): string[] =>
  tableRows(text).flatMap((row) => [...row[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));

const rowFor = (text: string, name: string): string[] | undefined =>
  tableRows(text).find((row) => row[0] === `\`${name}\``);

/** The member names of an exported interface of a source file. */
function interfaceMembers(path: string, name: string): string[] {
  const source = ts.createSourceFile(path, readDoc(path), ts.ScriptTarget.Latest, true);
  const declaration = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
  if (declaration === undefined) throw new Error(`${path} declares no interface ${name}`);
  return declaration.members.map((m) => (m.name as ts.Identifier).text);
}

describe('docs/configuration.md', () => {
  const page = readDoc('docs/configuration.md');
  const propsSection = section(page, "## The construct's props");
  const props = tableRows(propsSection.slice(propsSection.indexOf('| prop | type and members |')).split('\n\n')[0]!);

  it.each(interfaceMembers('lib/props.ts', 'FaceLivenessBackendProps').map((m) => [m]))(
    'documents the prop %s',
    (prop) => {
      expect(props.flatMap((row) => [...row[0]!.matchAll(/`(\w+)`/g)].map((m) => m[1]))).toContain(prop);
    },
  );

  it('names only real settings as the ones a prop carries', () => {
    const named = props.flatMap((row) => [...(row[2] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]!));
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((n) => !(SETTING_NAMES as readonly string[]).includes(n))).toEqual([]);
  });
  const settings = section(page, '## Settings (context values)');

  it.each(SETTING_NAMES.map((name) => [name]))('documents the setting %s with its real default', (name) => {
    const row = rowFor(settings, name);
    expect(row).toBeDefined();
    const actual = DEFAULT_SETTINGS[name];
    const expected = actual === undefined ? 'none' : `\`${Array.isArray(actual) ? actual.join(',') : String(actual)}\``;
    expect(row![1]).toBe(expected);
  });

  it.each(Object.values(HANDLER_ENV).map((name) => [name]))('documents the handler variable %s', (name) => {
    expect(firstCellNames(section(page, '## Environment variables'))).toContain(name);
  });
});

describe('docs/http-api.md', () => {
  const errors = section(readDoc('docs/http-api.md'), '## Errors');

  it.each(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]))(
    'documents the error code %s with status %i',
    (code, status) => {
      const row = rowFor(errors, String(code));
      expect(row).toBeDefined();
      expect(row![1]).toMatch(new RegExp(`^${status}\\b`));
    },
  );
});

describe('docs/local-mode.md', () => {
  const variables = firstCellNames(section(readDoc('docs/local-mode.md'), '## Variables'));
  const source = readDoc('local/start.ts');
  // Every variable `npm start` reads itself (ports, LOCAL_*), and every handler variable it passes on.
  const startVariables = [...source.matchAll(/port\('([A-Z_]+)'|process\.env\.([A-Z_]+)/g)].map((m) => m[1] ?? m[2]!);
  const handlerVariables = Object.values(HANDLER_ENV).filter(
    (name) => !['REKOGNITION_ENDPOINT', 'S3_ENDPOINT', 'DYNAMODB_ENDPOINT', 'SESSION_TABLE_NAME'].includes(name),
  );

  it.each([...new Set([...startVariables, ...handlerVariables, 'LOCAL_AUTH'])].map((name) => [name]))(
    'documents %s in the variables table',
    (name) => {
      expect(variables).toContain(name);
    },
  );
});

describe('docs/architecture.md, the verdict record', () => {
  const record = section(readDoc('docs/architecture.md'), '### The verdict record');
  const documented = firstCellNames(record);

  it.each([...new Set([...SESSION_CREATE_ATTRIBUTES, ...VERDICT_ATTRIBUTES, ...CONSUME_ATTRIBUTES])].map((a) => [a]))(
    'documents the session attribute %s',
    (attribute) => {
      expect(documented).toContain(attribute);
    },
  );

  it('lists every not-live reason', () => {
    const reason = tableRows(record).find((row) => row[0] === '`reason`')!;
    for (const r of NOT_LIVE_REASONS) expect(reason[2]).toContain(`\`${r}\``);
  });
});

/**
 * The operating page describes the alarms and the dashboard of the default template: one row per alarm with its real
 * metric, threshold, period and evaluation periods, and the same meaning and first step as the alarm's description;
 * one row per dashboard widget.
 */
describe('docs/operating.md', () => {
  const page = readDoc('docs/operating.md');
  const template = synth().template.toJSON();
  const alarms = Object.values<any>(template.Resources)
    .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
    .map((r) => r.Properties);
  const alarmId = (props: any) => (props.AlarmDescription as string).split(':')[0]!;
  const alarmRows = tableRows(section(page, '## Alarms'));

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
      tableRows(section(page, '## Dashboard'))
        .map((r) => r[0])
        .sort(),
    ).toEqual(titles.sort());
  });
});
