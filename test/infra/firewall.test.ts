/** A WAF web ACL with a per-IP rate limit guards the stage unless the operator turns it off. */
import { Template } from 'aws-cdk-lib/assertions';
import { FaceLivenessStack } from '../../bin/face-liveness-stack';
import { newTestApp, synth, TEST_ACCOUNT, TEST_REGION } from './support/stack';

describe('firewall', () => {
  test('a regional web ACL blocks an IP above the configured rate', () => {
    // GIVEN / WHEN
    const s = synth({ wafRateLimit: 500 });
    // THEN
    const acls = Object.values(s.template.findResources('AWS::WAFv2::WebACL')).map((a) => a.Properties);
    expect(acls).toHaveLength(1);
    expect(acls[0]).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    expect(acls[0]!.Rules).toContainEqual(
      expect.objectContaining({
        Name: 'RateLimitPerIp',
        Action: { Block: {} },
        Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 500, EvaluationWindowSec: 300 } },
      }),
    );
  });

  test('the web ACL is associated with the API stage', () => {
    const s = synth();
    const { api, webAcl } = s.stack.backend;
    s.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: s.stack.resolve(api.deploymentStage.stageArn),
      WebACLArn: s.stack.resolve(webAcl!.attrArn),
    });
  });

  test('with waf: false there is no web ACL, no association and no WAF logging', () => {
    const s = synth({ waf: false });
    s.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    s.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    s.template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    expect(s.stack.backend.wafLogGroup).toBeUndefined();
  });
});

describe('WAF logging', () => {
  function logging(s: ReturnType<typeof synth>): Record<string, any> {
    const configs = Object.values(s.template.findResources('AWS::WAFv2::LoggingConfiguration')).map(
      (c) => c.Properties,
    );
    expect(configs).toHaveLength(1);
    return configs[0]!;
  }

  test('the web ACL logs to a CloudWatch log group whose name has the prefix AWS requires', () => {
    const s = synth();
    const { webAcl, wafLogGroup } = s.stack.backend;
    const config = logging(s);
    expect(config.ResourceArn).toEqual(s.stack.resolve(webAcl!.attrArn));
    const logGroupId = s.stack.getLogicalId(wafLogGroup!.node.defaultChild as never);
    const name = s.template.toJSON().Resources[logGroupId].Properties.LogGroupName as string;
    expect(name).toMatch(/^aws-waf-logs-[A-Za-z0-9-]+$/);
    // The destination is the log group ARN without the ':*' suffix, which WAF rejects.
    expect(config.LogDestinationConfigs).toEqual([
      { 'Fn::Join': ['', ['arn:aws:logs:us-east-1:123456789012:log-group:', { Ref: logGroupId }]] },
    ]);
  });

  test('the authorization header and the session token are redacted, nothing else', () => {
    expect(logging(synth()).RedactedFields).toEqual([
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'x-amz-security-token' } },
    ]);
  });

  test.each([
    [{}, 30, 'Retain'],
    [{ logRetentionDays: 365 }, 365, 'Retain'],
    [{ logRetentionDays: 7, removalPolicy: 'destroy' as const }, 7, 'Delete'],
  ])('with %j the WAF log group keeps %i days and is %s on delete', (settings, days, policy) => {
    const s = synth(settings);
    const logGroupId = s.stack.getLogicalId(s.stack.backend.wafLogGroup!.node.defaultChild as never);
    const resource = s.template.toJSON().Resources[logGroupId];
    expect(resource.Properties.RetentionInDays).toBe(days);
    expect(resource.DeletionPolicy).toBe(policy);
  });

  test('two stacks get distinct web ACL names (= metric names) and WAF log groups', () => {
    const app = newTestApp();
    const props = { env: { account: TEST_ACCOUNT, region: TEST_REGION } };
    const stacks = ['Dev', 'Prod'].map((id) => new FaceLivenessStack(app, id, props));
    const [a, b] = stacks.map((stack) => Template.fromStack(stack));
    const names = (t: Template) => {
      const acl = Object.values(t.findResources('AWS::WAFv2::WebACL'))[0]!.Properties;
      expect(acl.Name).toBe(acl.VisibilityConfig.MetricName);
      return [
        acl.Name,
        Object.values(t.findResources('AWS::Logs::LogGroup'))
          .map((g) => g.Properties.LogGroupName)
          .find(Boolean),
      ];
    };
    const [aclA, logsA] = names(a!);
    const [aclB, logsB] = names(b!);
    expect(aclA).not.toBe(aclB);
    expect(logsA).not.toBe(logsB);
  });
});
