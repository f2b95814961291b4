/** The stage logs every request as JSON, is throttled and traced, and does not touch account-wide settings. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synth, type Synthesized } from './support/stack';

function stage(s: Synthesized): Record<string, any> {
  const stages = Object.values(s.template.findResources('AWS::ApiGateway::Stage'));
  expect(stages).toHaveLength(1);
  return stages[0]!.Properties;
}

describe('API stage, default settings', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  test('the stage is v1', () => {
    expect(stage(s).StageName).toBe('v1');
  });

  test('access logs go to the API log group as one JSON object per request', () => {
    const { AccessLogSetting } = stage(s);
    // The log group's ARN without the ':*' suffix (feature flag @aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard).
    expect(AccessLogSetting.DestinationArn).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:aws:logs:us-east-1:123456789012:log-group:',
          s.stack.resolve(s.stack.backend.apiAccessLogGroup.logGroupName),
        ],
      ],
    });
    const fields = JSON.parse(AccessLogSetting.Format);
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      errorType: '$context.error.responseType',
      integrationStatus: '$context.integration.status',
      wafResponseCode: '$context.wafResponseCode',
    });
  });

  test('access logs keep the default 30 days', () => {
    const id = s.stack.resolve(s.stack.backend.apiAccessLogGroup.logGroupName).Ref;
    expect(s.template.toJSON().Resources[id].Properties.RetentionInDays).toBe(30);
  });

  test('the whole stage is throttled with the default rate and burst', () => {
    expect(stage(s).MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: 10,
        ThrottlingBurstLimit: 20,
        MetricsEnabled: true,
      }),
    ]);
  });

  test('the stage is not traced by default: its traces would hold the caller IP and the session id', () => {
    expect(stage(s).TracingEnabled).toBe(false);
  });

  test('apiTracing turns stage tracing on', () => {
    expect(stage(synth({ apiTracing: true })).TracingEnabled).toBe(true);
  });

  test('the stack does not set the account-wide API Gateway logging role', () => {
    s.template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('the API is regional', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  });
});

describe('API stage, other settings', () => {
  test('throttling follows the settings', () => {
    const s = synth({ throttlingRateLimit: 5, throttlingBurstLimit: 7 });
    expect(stage(s).MethodSettings[0]).toMatchObject({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 7 });
  });

  test('log retention follows the settings', () => {
    const s = synth({ logRetentionDays: 90 });
    const id = s.stack.resolve(s.stack.backend.apiAccessLogGroup.logGroupName).Ref;
    expect(s.template.toJSON().Resources[id].Properties.RetentionInDays).toBe(90);
  });
});

describe('the access log holds exactly the fields docs/operating.md documents, no identity and no address', () => {
  test('the stage log format', () => {
    const s = synth();
    const stage = Object.values(s.template.findResources('AWS::ApiGateway::Stage'))[0]!;
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format) as Record<string, string>;
    expect(JSON.stringify(format)).not.toMatch(
      /sourceIp|cognitoIdentityId|cognitoIdentityPoolId|caller|user\b|userArn|accountId/,
    );
    const page = readFileSync(join(__dirname, '..', '..', 'docs', 'operating.md'), 'utf8');
    const documented = /Access log fields: ([\s\S]+?)\. No caller/
      .exec(page)?.[1]
      ?.match(/`(\w+)`/g)
      ?.map((f) => f.slice(1, -1));
    expect(documented).toEqual(Object.keys(format));
  });
});
