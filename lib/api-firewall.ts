/**
 * A WAF web ACL in front of the API stage. Every liveness check costs money and the routes are reachable by anyone
 * holding guest credentials, so the point is to stop one client from running up the bill, not to inspect payloads:
 * the bodies are a few bytes of schema-validated JSON.
 */
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** WAF rate-based rules count requests over this window. */
export const WAF_RATE_WINDOW_SECONDS = 300;

export interface ApiFirewallProps {
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /** Requests one IP may make per 5 minutes before it is blocked. */
  readonly rateLimitPerIp: number;
}

export class ApiFirewall extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('FaceLivenessApi'),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: { aggregateKeyType: 'IP', limit: props.rateLimitPerIp, evaluationWindowSec: WAF_RATE_WINDOW_SECONDS },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        {
          // Known bot and threat-intelligence addresses: cheap (25 WCU), and they are who automates abuse of a paid API.
          name: 'AmazonIpReputationList',
          priority: 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
          visibilityConfig: visibility('AmazonIpReputationList'),
        },
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
