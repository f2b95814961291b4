/** A WAF web ACL with a per-IP rate limit guards the stage unless the operator turns it off. */
import { synth } from './support/stack';

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

  test('with waf: false there is no web ACL and no association', () => {
    const s = synth({ waf: false });
    s.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    s.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });
});
