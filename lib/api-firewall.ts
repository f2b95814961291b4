/**
 * A WAF web ACL in front of the API stage. Every liveness check costs money and the routes are reachable by anyone
 * holding guest credentials, so the point is to stop one client from running up the bill, not to inspect payloads:
 * the bodies are a few bytes of schema-validated JSON.
 */
import { ArnFormat, Names, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** WAF rate-based rules count requests over this window. */
export const WAF_RATE_WINDOW_SECONDS = 300;

/** AWS only delivers WAF logs to log groups whose name starts with this. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

/**
 * Request headers replaced by "REDACTED" in the WAF log: the SigV4 signature (or a user-pool token) and the session
 * token of the browser's temporary credentials. Everything else in a log record is metadata (IP, URI, headers).
 */
export const WAF_REDACTED_HEADERS = ['authorization', 'x-amz-security-token'] as const;

export interface ApiFirewallProps {
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /** Requests one IP may make per 5 minutes before it is blocked. */
  readonly rateLimitPerIp: number;
  /** Retention of the WAF log group, days (one of CloudWatch's allowed values). */
  readonly logRetentionDays: number;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class ApiFirewall extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;
  /** The web ACL's own CloudWatch metric name: the `WebACL` dimension of its AWS/WAFV2 metrics. */
  public readonly metricName: string;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    // Unique per stack and construct path, so two deployments in one account and region keep apart metrics.
    this.metricName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      // The name and the metric name are the same, so the WebACL metric dimension is this value either way.
      name: this.metricName,
      visibilityConfig: visibility(this.metricName),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.rateLimitPerIp,
              evaluationWindowSec: WAF_RATE_WINDOW_SECONDS,
            },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        {
          // Known bot and threat-intelligence addresses: cheap (25 WCU), and they are who automates abuse of a paid API.
          name: 'AmazonIpReputationList',
          priority: 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' },
          },
          visibilityConfig: visibility('AmazonIpReputationList'),
        },
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    // WAF logs hold client IPs, the URI and request headers (never bodies): the tool to find who a block hit.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `${WAF_LOG_GROUP_PREFIX}${this.metricName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.logRemovalPolicy,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the ':*' suffix of LogGroup.logGroupArn.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // The L1 type is `any` here: the CloudFormation shape (capitalized Name) is passed through as is.
      redactedFields: WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
    });
  }
}
