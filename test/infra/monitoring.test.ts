/**
 * The alarms (one per failure mode an operator must hear about), their action, and the dashboard. Each alarm is pinned
 * by metric, statistic, threshold, period, evaluation periods and missing-data treatment.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ERROR_CODES } from '../../contract/error-codes';
import { FEEDBACK_CODES } from '../../contract/liveness-model';
import { FaceLivenessBackend } from '../../lib/face-liveness-backend';
import { newTestApp, newTestStack, synth, TEST_ACCOUNT, TEST_REGION, type Synthesized } from './support/stack';

const EVERY_ALARM = [
  'Api5xxRate',
  'ApiLatencyP99CreateSession',
  'ApiLatencyP99GetResult',
  'CreateSessionErrors',
  'CreateSessionThrottles',
  'GetResultErrors',
  'GetResultThrottles',
  'UpstreamThrottles',
  'UpstreamServerErrors',
  'FailedCheckShare',
  'LockoutsStarted',
  'WafBlockedRequests',
];

function alarm(s: Synthesized, id: string): Record<string, any> {
  const construct = s.stack.backend.monitoring.alarms[id];
  if (!construct) throw new Error(`no alarm ${id}`);
  const logicalId = s.stack.getLogicalId(construct.node.defaultChild as never);
  return s.template.toJSON().Resources[logicalId].Properties;
}

/** The metric of a math-expression alarm, by its id in the expression. */
function mathMetric(props: Record<string, any>, id: string): Record<string, any> {
  const entry = (props.Metrics as Array<Record<string, any>>).find((m) => m.Id === id);
  if (!entry) throw new Error(`no metric ${id}`);
  return entry.MetricStat;
}

function dims(list: Array<{ Name: string; Value: unknown }>): Record<string, unknown> {
  return Object.fromEntries(list.map((d) => [d.Name, d.Value]));
}

describe('alarms, default settings', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  test('every alarm exists, and nothing else', () => {
    expect(Object.keys(s.stack.backend.monitoring.alarms).sort()).toEqual([...EVERY_ALARM].sort());
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', EVERY_ALARM.length);
  });

  test('no alarm action by default', () => {
    for (const id of EVERY_ALARM) {
      const props = alarm(s, id);
      expect(props.AlarmActions).toBeUndefined();
      expect(props.OKActions).toBeUndefined();
    }
    s.template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('every alarm is deliberate about missing data: no traffic is not an outage', () => {
    for (const id of EVERY_ALARM) expect([id, alarm(s, id).TreatMissingData]).toEqual([id, 'notBreaching']);
  });

  test('every alarm description names the alarm and says what to do first', () => {
    for (const id of EVERY_ALARM) expect(alarm(s, id).AlarmDescription).toMatch(new RegExp(`^${id}: .+ First: .+`));
  });

  test('API 5xx rate: 5xx share of requests, over 5 % in one 5-minute period, at least 10 requests', () => {
    const props = alarm(s, 'Api5xxRate');
    expect(props).toMatchObject({
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
    });
    const expression = props.Metrics.find((m: any) => m.Expression !== undefined);
    expect(expression.Expression).toBe('IF(FILL(requests, 0) >= 10, 100 * FILL(errors, 0) / FILL(requests, 0), 0)');
    expect(expression.ReturnData).not.toBe(false);
    const stageName = s.stack.backend.api.deploymentStage.stageName;
    for (const [id, metricName] of [
      ['errors', '5XXError'],
      ['requests', 'Count'],
    ]) {
      const stat = mathMetric(props, id!);
      expect(stat).toMatchObject({
        Metric: { Namespace: 'AWS/ApiGateway', MetricName: metricName },
        Stat: 'Sum',
        Period: 300,
      });
      expect(dims(stat.Metric.Dimensions)).toEqual({
        ApiName: s.stack.resolve(s.stack.backend.api.restApiName),
        Stage: s.stack.resolve(stageName),
      });
    }
  });

  test.each([
    ['ApiLatencyP99CreateSession', 'POST', '/sessions'],
    ['ApiLatencyP99GetResult', 'GET', '/sessions/{sessionId}/result'],
  ])('%s: p99 latency of %s %s above 3000 ms for 3 periods of 5 minutes', (id, method, resource) => {
    const props = alarm(s, id);
    expect(props).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Period: 300,
      Threshold: 3000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
    const api = s.stack.backend.api;
    expect(dims(props.Dimensions)).toEqual({
      ApiName: s.stack.resolve(api.restApiName),
      Method: method,
      Resource: resource,
      Stage: s.stack.resolve(api.deploymentStage.stageName),
    });
  });

  test.each([
    ['CreateSessionErrors', 'createSessionFunction', 'Errors'],
    ['CreateSessionThrottles', 'createSessionFunction', 'Throttles'],
    ['GetResultErrors', 'getResultFunction', 'Errors'],
    ['GetResultThrottles', 'getResultFunction', 'Throttles'],
  ] as const)("%s: the function's %s (Sum, 5 minutes) at 1 or more", (id, fn, metricName) => {
    const props = alarm(s, id);
    expect(props).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
    expect(dims(props.Dimensions)).toEqual({ FunctionName: s.stack.resolve(s.stack.backend[fn].functionName) });
  });

  test.each([
    ['UpstreamThrottles', 'THROTTLED'],
    ['UpstreamServerErrors', 'SERVICE_UNAVAILABLE'],
  ])("%s: the handlers' Error metric with errorCode %s, 5 or more in 5 minutes", (id, errorCode) => {
    const props = alarm(s, id);
    expect(props).toMatchObject({
      Namespace: 'FaceLiveness',
      MetricName: 'Error',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
    expect(dims(props.Dimensions)).toEqual({ service: 'face-liveness', errorCode });
  });

  test('failed-check share: not-live share of finished checks above 50 %, at least 10 checks, from the service rollup', () => {
    const props = alarm(s, 'FailedCheckShare');
    expect(props).toMatchObject({ Threshold: 50, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
    const expression = props.Metrics.find((m: any) => m.Expression !== undefined).Expression;
    expect(expression).toBe(
      'IF(FILL(live, 0) + FILL(notLive, 0) >= 10, 100 * FILL(notLive, 0) / (FILL(live, 0) + FILL(notLive, 0)), 0)',
    );
    for (const [id, metricName] of [
      ['live', 'VerdictLive'],
      ['notLive', 'VerdictNotLive'],
    ]) {
      const stat = mathMetric(props, id!);
      expect(stat).toMatchObject({
        Metric: { Namespace: 'FaceLiveness', MetricName: metricName },
        Stat: 'Sum',
        Period: 300,
      });
      // Only the service dimension: the total over every reason (the handlers publish this rollup).
      expect(dims(stat.Metric.Dimensions)).toEqual({ service: 'face-liveness' });
    }
  });

  test('lockouts started: 5 or more in 5 minutes', () => {
    const props = alarm(s, 'LockoutsStarted');
    expect(props).toMatchObject({
      Namespace: 'FaceLiveness',
      MetricName: 'LockoutStarted',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
    expect(dims(props.Dimensions)).toEqual({ service: 'face-liveness' });
  });

  test("WAF blocked requests: the web ACL's BlockedRequests (all rules), 100 or more in 5 minutes", () => {
    const props = alarm(s, 'WafBlockedRequests');
    expect(props).toMatchObject({
      Namespace: 'AWS/WAFV2',
      MetricName: 'BlockedRequests',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 100,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
    const acl = s.template.toJSON().Resources[s.stack.getLogicalId(s.stack.backend.webAcl!)].Properties;
    // The dimension is the web ACL's metric name, which is also its name.
    expect(acl.Name).toBe(acl.VisibilityConfig.MetricName);
    expect(dims(props.Dimensions)).toEqual({
      WebACL: acl.VisibilityConfig.MetricName,
      Region: TEST_REGION,
      Rule: 'ALL',
    });
  });
});

describe('alarm settings', () => {
  test('thresholds come from the settings', () => {
    const s = synth({
      alarmServerErrorPercent: 7,
      alarmLatencyP99Ms: 1500,
      alarmFunctionErrors: 3,
      alarmFunctionThrottles: 4,
      alarmUpstreamThrottles: 11,
      alarmUpstreamServerErrors: 12,
      alarmFailedCheckPercent: 30,
      alarmLockoutsStarted: 9,
      alarmWafBlockedRequests: 1000,
      alarmMinSamples: 25,
    });
    const threshold = (id: string) => alarm(s, id).Threshold;
    expect(threshold('Api5xxRate')).toBe(7);
    expect(threshold('ApiLatencyP99GetResult')).toBe(1500);
    expect(threshold('GetResultErrors')).toBe(3);
    expect(threshold('CreateSessionThrottles')).toBe(4);
    expect(threshold('UpstreamThrottles')).toBe(11);
    expect(threshold('UpstreamServerErrors')).toBe(12);
    expect(threshold('FailedCheckShare')).toBe(30);
    expect(threshold('LockoutsStarted')).toBe(9);
    expect(threshold('WafBlockedRequests')).toBe(1000);
    expect(alarm(s, 'FailedCheckShare').Metrics.find((m: any) => m.Expression).Expression).toMatch(/>= 25,/);
  });

  test('alarms: false creates no alarm (the dashboard stays)', () => {
    const s = synth({ alarms: false });
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    s.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('dashboard: false creates no dashboard', () => {
    synth({ dashboard: false }).template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('without the WAF there is no WAF alarm', () => {
    const s = synth({ waf: false });
    expect(Object.keys(s.stack.backend.monitoring.alarms)).not.toContain('WafBlockedRequests');
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', EVERY_ALARM.length - 1);
  });

  test('alarmEmail creates one SSL-only topic with that e-mail subscription, and every alarm notifies it on ALARM and OK', () => {
    const s = synth({ alarmEmail: 'ops@example.com' });
    s.template.resourceCountIs('AWS::SNS::Topic', 1);
    s.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    const topicPolicy = Object.values(s.template.findResources('AWS::SNS::TopicPolicy'))[0]!.Properties.PolicyDocument
      .Statement;
    expect(topicPolicy).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const topicRef = s.stack.resolve((s.stack.backend.monitoring.alarmTopic as sns.Topic).topicArn);
    for (const id of EVERY_ALARM) {
      expect(alarm(s, id).AlarmActions).toEqual([topicRef]);
      expect(alarm(s, id).OKActions).toEqual([topicRef]);
    }
  });

  test('an alarmTopic passed in receives the notifications and no topic is created', () => {
    const app = newTestApp();
    const stack = new Stack(app, 'Own', { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
    const topic = sns.Topic.fromTopicArn(stack, 'Ops', `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:ops`);
    const backend = new FaceLivenessBackend(stack, 'Backend', { monitoring: { alarmTopic: topic } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(EVERY_ALARM.length);
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([topic.topicArn]);
    expect(backend.monitoring.alarmTopic).toBe(topic);
  });

  test('alarmTopic and alarmEmail together are refused, naming both', () => {
    const app = new App();
    const stack = new Stack(app, 'Both');
    const topic = sns.Topic.fromTopicArn(stack, 'Ops', `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:ops`);
    expect(
      () =>
        new FaceLivenessBackend(stack, 'Backend', { monitoring: { alarmTopic: topic, alarmEmail: 'ops@example.com' } }),
    ).toThrow(/monitoring.alarmTopic and monitoring.alarmEmail/);
  });

  test.each([
    [{ alarmEmail: 'not-an-address' }, /alarmEmail must be an e-mail address/],
    [{ alarmEmail: 'ops@example.com', alarms: false }, /alarmEmail needs alarms/],
    [{ alarmServerErrorPercent: 0 }, /alarmServerErrorPercent must be an integer from 1 to 100/],
    [{ alarmMinSamples: 0 }, /alarmMinSamples must be an integer from 1/],
  ])('refuses %j', (settings, message) => {
    expect(() => newTestStack(settings)).toThrow(message);
  });
});

describe('dashboard', () => {
  let body: string;
  beforeAll(() => {
    const s = synth();
    const dashboards = Object.values(s.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    // The body is a Fn::Join of strings and references; the strings hold every title, label and metric name.
    const joined = dashboards[0]!.Properties.DashboardBody['Fn::Join'][1] as unknown[];
    body = joined.map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
  });

  test.each([
    'Checks per minute',
    'Live vs not live',
    'Feedback codes and not-live reasons',
    'Error codes',
    'Latency per route (p50, p99)',
    'Lockouts started',
    'Throttles',
    'WAF blocked requests',
    'Function errors',
    'Alarms',
  ])('has the widget "%s"', (title) => {
    expect(body).toContain(`"title":"${title}"`);
  });

  test('checks per minute are 1-minute sums of SessionCreated and finished verdicts', () => {
    expect(body).toMatch(/"FaceLiveness","SessionCreated","service","face-liveness",\{[^}]*"period":60/);
    expect(body).toContain('"expression":"FILL(live, 0) + FILL(notLive, 0)"');
  });

  test('one line per feedback code, per not-live reason and per error code', () => {
    for (const code of FEEDBACK_CODES)
      expect(body).toContain(`"FaceLiveness","Feedback.${code}","service","face-liveness"`);
    for (const reason of ['LOW_CONFIDENCE', 'MISSING_REFERENCE_IMAGE', 'SESSION_FAILED', 'SESSION_EXPIRED']) {
      expect(body).toContain(`"VerdictNotLive","reason","${reason}","service","face-liveness"`);
    }
    for (const code of Object.keys(ERROR_CODES))
      expect(body).toContain(`"Error","errorCode","${code}","service","face-liveness"`);
  });

  test('latency per route at p50 and p99', () => {
    for (const route of ['POST /sessions', 'GET /sessions/{sessionId}/result']) {
      expect(body).toContain(`"label":"${route} p50"`);
      expect(body).toContain(`"label":"${route} p99"`);
    }
  });

  test('throttles, WAF blocks and function errors', () => {
    expect(body).toContain('"AWS/WAFV2","BlockedRequests"');
    expect(body).toMatch(/"AWS\/Lambda","Throttles"/);
    expect(body).toMatch(/"AWS\/Lambda","Errors"/);
    expect(body).toContain('"LockoutStarted","service","face-liveness"');
  });
});
