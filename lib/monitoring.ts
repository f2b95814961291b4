/**
 * Alarms and a dashboard for the backend. The operator should hear about trouble before users do: the API failing or
 * slowing, a function crashing or throttled, Rekognition throttling or erroring, and the attack signals (a rising share
 * of failed checks, lockouts, WAF blocks). Every alarm's meaning and first step are in ALARM_GUIDE, which becomes its
 * description (so it arrives with the notification) and is mirrored by the README's "Operating it" table.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { NOT_LIVE_REASONS, type NotLiveReason } from '../contract/api-types';
import { ERROR_CODES, type ErrorCode } from '../contract/error-codes';
import { ROUTE_LIST, type RouteName } from '../contract/routes';
import { FEEDBACK_CODES } from '../contract/liveness-model';
import { feedbackMetricName, METRIC_DIMENSIONS, METRIC_NAMES } from '../contract/metric-names';
import { acknowledge } from './nag';

/** Every alarm looks at 5-minute periods: short enough to page quickly, long enough to smooth single requests. */
export const ALARM_PERIOD = Duration.minutes(5);
/** Latency alarms need this many periods in a row, so one slow cold-start burst does not page anyone. */
export const LATENCY_EVALUATION_PERIODS = 3;

const UPSTREAM_THROTTLED: ErrorCode = 'THROTTLED';
const UPSTREAM_SERVER_ERROR: ErrorCode = 'SERVICE_UNAVAILABLE';

export interface MonitoringThresholds {
  /** Percent of requests answered 5xx. */
  readonly serverErrorPercent: number;
  /** p99 latency of one route. */
  readonly latencyP99: Duration;
  readonly functionErrors: number;
  readonly functionThrottles: number;
  readonly upstreamThrottles: number;
  readonly upstreamServerErrors: number;
  /** Percent of finished checks that were not live. */
  readonly failedCheckPercent: number;
  readonly lockoutsStarted: number;
  readonly wafBlockedRequests: number;
  /** Requests (or finished checks) a period needs before a share alarm can fire. */
  readonly minSamples: number;
}

/** What LivenessMonitoring watches and how (FaceLivenessBackend passes its own resources). */
export interface LivenessMonitoringProps {
  /** The backend's REST API. */
  readonly api: apigw.RestApi;
  /** The API's methods by route, for the latency alarms. */
  readonly methods: Readonly<Record<RouteName, apigw.Method>>;
  /** The API's functions by route, for the errors and throttles alarms. */
  readonly functions: Readonly<Record<RouteName, lambda.IFunction>>;
  /** Namespace of the handlers' EMF metrics (Powertools' POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: string;
  /** The service dimension of the handlers' metrics (Powertools' POWERTOOLS_SERVICE_NAME). */
  readonly serviceName: string;
  /** The web ACL's metric dimensions, when there is a WAF. */
  readonly webAcl?: { readonly metricName: string; readonly region: string };
  /** Create the alarms. @default true */
  readonly alarms?: boolean;
  /** Create the dashboard. @default true */
  readonly dashboard?: boolean;
  /** When each alarm fires. */
  readonly thresholds: MonitoringThresholds;
  /** Where alarm and OK notifications go. @default - no action, unless alarmEmail creates a topic */
  readonly alarmTopic?: sns.ITopic;
  /** Creates a topic with this e-mail subscription (not with alarmTopic). @default - none */
  readonly alarmEmail?: string;
}

/** What each alarm means and what to do first; the README's "Operating it" table says the same. */
export const ALARM_GUIDE = {
  Api5xxRate: {
    means: 'A share of API requests end in a 5xx (a function error, a timeout or an upstream outage).',
    first:
      'Open the dashboard: if function errors rise too, read the function log for the request id; if upstream errors rise, check the AWS Health Dashboard.',
  },
  ApiLatencyP99: {
    means: 'The slowest 1 % of requests on this route take longer than the threshold.',
    first:
      'Compare integration latency with Rekognition errors and throttles; raise sdkTimeoutMs only if Rekognition itself is slow.',
  },
  FunctionErrors: {
    means: 'The function crashed or timed out (handled errors are answered as JSON and do not count).',
    first: "Read the function's log group for the error and the request id; a deploy just before is the usual suspect.",
  },
  FunctionThrottles: {
    means: 'Lambda refused invocations: the account or function concurrency limit is reached.',
    first:
      'Check the account concurrency in this region and other functions using it; lower the stage throttling or ask for a higher limit.',
  },
  UpstreamThrottles: {
    means: 'Rekognition (or, rarely, the session table) throttled calls; callers got 429 THROTTLED.',
    first:
      'Compare with your Rekognition Face Liveness TPS quota (Service Quotas); request more, or lower throttlingRateLimit to stay under it.',
  },
  UpstreamServerErrors: {
    means: 'Rekognition (or the session table) answered with server errors or could not be reached; callers got 503.',
    first: 'Check the AWS Health Dashboard for Rekognition in this region; the function log has the AWS error name.',
  },
  FailedCheckShare: {
    means: 'An unusual share of finished checks is not live: an attack (spoofing, injection) or a broken client.',
    first:
      'Split by reason on the dashboard: LOW_CONFIDENCE points at attacks or a bad threshold, SESSION_FAILED/EXPIRED at the client; look at the WAF and lockout alarms.',
  },
  LockoutsStarted: {
    means: 'Callers are being locked out after repeated failed checks: someone is retrying against the detector.',
    first:
      'Find the ownerRef values in the get-result log (warning "Owner locked out"); correlate with WAF logs for the source IPs.',
  },
  WafBlockedRequests: {
    means: 'The WAF is blocking many requests (per-IP rate limit or IP reputation list).',
    first:
      'Look at the WAF log group (aws-waf-logs-...) for the terminating rule and client IPs; raise the per-IP rate limit (firewall.rateLimitPerIp) only if they are real users.',
  },
} as const;
export type AlarmKind = keyof typeof ALARM_GUIDE;

/**
 * The backend's alarms (each with what it means and what to look at first), its dashboard and the alarm topic, and
 * metric*() methods for the handlers' own metrics, with the namespace and dimensions they emit.
 */
export class LivenessMonitoring extends Construct {
  /** Every alarm, by construct id (e.g. `Api5xxRate`, `ApiLatencyP99CreateSession`, `CreateSessionErrors`). */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The CloudWatch dashboard, when it is on. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The topic alarm actions go to: the one passed in, or the one created for alarmEmail. */
  public readonly alarmTopic?: sns.ITopic;

  private readonly props: LivenessMonitoringProps;

  /** Creates the alarms and the dashboard the props ask for. */
  constructor(scope: Construct, id: string, props: LivenessMonitoringProps) {
    super(scope, id);
    this.props = props;
    if (props.alarmTopic && props.alarmEmail)
      throw new Error('alarmTopic and alarmEmail: pass one (subscribe the address to your own topic yourself)');
    const stage = props.api.deploymentStage;
    const t = props.thresholds;
    const p = { period: ALARM_PERIOD };
    const alarms: Record<string, cloudwatch.Alarm> = {};

    if (props.alarms !== false) {
      this.alarmTopic = props.alarmTopic ?? (props.alarmEmail ? this.emailTopic(props.alarmEmail) : undefined);
      const add = (alarmId: string, kind: AlarmKind, spec: AlarmSpec) => {
        const guide = ALARM_GUIDE[kind];
        const alarm = new cloudwatch.Alarm(this, alarmId, {
          metric: spec.metric,
          threshold: spec.threshold,
          comparisonOperator: spec.comparison,
          evaluationPeriods: spec.evaluationPeriods ?? 1,
          datapointsToAlarm: spec.evaluationPeriods ?? 1,
          treatMissingData: spec.missingData,
          alarmDescription: `${alarmId}: ${guide.means} First: ${guide.first}`,
        });
        if (this.alarmTopic) {
          alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
          alarm.addOkAction(new actions.SnsAction(this.alarmTopic));
        }
        alarms[alarmId] = alarm;
      };

      // No requests means nothing failed: every traffic-driven alarm treats missing data as not breaching. The share
      // alarms also answer 0 below minSamples, so one failed request of two cannot page anyone.
      add('Api5xxRate', 'Api5xxRate', {
        metric: new cloudwatch.MathExpression({
          expression: `IF(FILL(requests, 0) >= ${t.minSamples}, 100 * FILL(errors, 0) / FILL(requests, 0), 0)`,
          usingMetrics: {
            errors: stage.metricServerError({ ...p, statistic: 'Sum' }),
            requests: stage.metricCount({ ...p, statistic: 'Sum' }),
          },
          label: '5xx responses (% of requests)',
          ...p,
        }),
        threshold: t.serverErrorPercent,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      for (const route of ROUTE_LIST) {
        add(`ApiLatencyP99${pascal(route.name)}`, 'ApiLatencyP99', {
          metric: props.methods[route.name].metricLatency(stage, { ...p, statistic: 'p99' }),
          threshold: t.latencyP99.toMilliseconds(),
          comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: LATENCY_EVALUATION_PERIODS,
          // A quiet route has no latency; that is not a slow one.
          missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      }
      for (const route of ROUTE_LIST) {
        const fn = props.functions[route.name];
        add(`${pascal(route.name)}Errors`, 'FunctionErrors', {
          metric: fn.metricErrors({ ...p, statistic: 'Sum' }),
          threshold: t.functionErrors,
          comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
        add(`${pascal(route.name)}Throttles`, 'FunctionThrottles', {
          metric: fn.metricThrottles({ ...p, statistic: 'Sum' }),
          threshold: t.functionThrottles,
          comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      }
      // The handlers publish Error only when something failed, so no data is the healthy case.
      add('UpstreamThrottles', 'UpstreamThrottles', {
        metric: this.metricErrors({ code: UPSTREAM_THROTTLED }, p),
        threshold: t.upstreamThrottles,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      add('UpstreamServerErrors', 'UpstreamServerErrors', {
        metric: this.metricErrors({ code: UPSTREAM_SERVER_ERROR }, p),
        threshold: t.upstreamServerErrors,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      add('FailedCheckShare', 'FailedCheckShare', {
        metric: new cloudwatch.MathExpression({
          expression: `IF(FILL(live, 0) + FILL(notLive, 0) >= ${t.minSamples}, 100 * FILL(notLive, 0) / (FILL(live, 0) + FILL(notLive, 0)), 0)`,
          usingMetrics: {
            live: this.metricVerdicts({ outcome: 'live' }, p),
            notLive: this.metricVerdicts({ outcome: 'notLive' }, p),
          },
          label: 'Not-live checks (% of finished checks)',
          ...p,
        }),
        threshold: t.failedCheckPercent,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      add('LockoutsStarted', 'LockoutsStarted', {
        metric: this.metricLockoutsStarted(p),
        threshold: t.lockoutsStarted,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (props.webAcl) {
        add('WafBlockedRequests', 'WafBlockedRequests', {
          metric: this.wafBlocked(p),
          threshold: t.wafBlockedRequests,
          comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          // WAF publishes BlockedRequests only when it blocks something.
          missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      }
    }
    this.alarms = alarms;

    if (props.dashboard !== false) this.dashboard = this.createDashboard(Object.values(alarms));
  }

  /**
   * Verdicts the result function decided (a finished session read again is not counted twice), as the handlers emit
   * them: all of one outcome, or, for `notLive`, those of one reason. Sum over 5 minutes unless `options` say otherwise.
   */
  public metricVerdicts(
    filter: { readonly outcome: 'live' | 'notLive'; readonly reason?: NotLiveReason },
    options: cloudwatch.MetricOptions = {},
  ): cloudwatch.Metric {
    if (filter.outcome === 'live' && filter.reason !== undefined)
      throw new Error('metricVerdicts: a reason is only given to not-live verdicts');
    return this.handlerMetric(
      filter.outcome === 'live' ? METRIC_NAMES.verdictLive : METRIC_NAMES.verdictNotLive,
      filter.reason !== undefined ? { [METRIC_DIMENSIONS.reason]: filter.reason } : {},
      options,
    );
  }

  /** Sessions created. Sum over 5 minutes unless `options` say otherwise. */
  public metricSessionsCreated(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.handlerMetric(METRIC_NAMES.sessionCreated, {}, options);
  }

  /** Failure lockouts started. Sum over 5 minutes unless `options` say otherwise. */
  public metricLockoutsStarted(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.handlerMetric(METRIC_NAMES.lockoutStarted, {}, options);
  }

  /**
   * Requests the functions answered with an API error: all of them, or those of one error code (e.g. `THROTTLED`).
   * Sum over 5 minutes unless `options` say otherwise.
   */
  public metricErrors(
    filter: { readonly code?: ErrorCode } = {},
    options: cloudwatch.MetricOptions = {},
  ): cloudwatch.Metric {
    return this.handlerMetric(
      METRIC_NAMES.error,
      filter.code !== undefined ? { [METRIC_DIMENSIONS.errorCode]: filter.code } : {},
      options,
    );
  }

  /** One of the handlers' EMF metrics. Without extra dimensions it is the service-only rollup (the total). */
  private handlerMetric(
    metricName: string,
    dimensions: Record<string, string>,
    options: cloudwatch.MetricOptions = {},
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.props.metricsNamespace,
      metricName,
      period: ALARM_PERIOD,
      dimensionsMap: { [METRIC_DIMENSIONS.service]: this.props.serviceName, ...dimensions },
      statistic: 'Sum',
      ...options,
    });
  }

  private wafBlocked(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    const acl = this.props.webAcl!;
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: acl.metricName, Region: acl.region, Rule: 'ALL' },
      statistic: 'Sum',
      ...options,
    });
  }

  private emailTopic(email: string): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Face Liveness alarms', enforceSSL: true });
    topic.addSubscription(new subscriptions.EmailSubscription(email));
    acknowledge(
      topic,
      'Serverless-SNSRedrivePolicy',
      'An e-mail subscription: a failed delivery has no consumer that could replay it from a dead-letter queue, and the alarm state stays visible in CloudWatch. Pass your own topic as alarmTopic for other delivery guarantees.',
    );
    return topic;
  }

  private createDashboard(alarms: cloudwatch.Alarm[]): cloudwatch.Dashboard {
    const { methods, functions, api } = this.props;
    const stage = api.deploymentStage;
    const minute = { period: Duration.minutes(1) };
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    const widget = (title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, ...extra });

    dashboard.addWidgets(
      widget('Checks per minute', [
        this.metricSessionsCreated({ ...minute, label: 'sessions created' }),
        new cloudwatch.MathExpression({
          expression: 'FILL(live, 0) + FILL(notLive, 0)',
          usingMetrics: {
            live: this.metricVerdicts({ outcome: 'live' }, minute),
            notLive: this.metricVerdicts({ outcome: 'notLive' }, minute),
          },
          label: 'checks finished',
          ...minute,
        }),
      ]),
      widget(
        'Live vs not live',
        [
          this.metricVerdicts({ outcome: 'live' }, { ...minute, label: 'live' }),
          this.metricVerdicts({ outcome: 'notLive' }, { ...minute, label: 'not live' }),
        ],
        { stacked: true },
      ),
      widget(
        'Feedback codes and not-live reasons',
        [...FEEDBACK_CODES.map((code) => this.handlerMetric(feedbackMetricName(code), {}, { ...minute, label: code }))],
        {
          right: NOT_LIVE_REASONS.map((reason) =>
            this.metricVerdicts({ outcome: 'notLive', reason }, { ...minute, label: reason }),
          ),
          leftYAxis: { label: 'feedback codes', showUnits: false },
          rightYAxis: { label: 'not-live reasons', showUnits: false },
        },
      ),
    );
    dashboard.addWidgets(
      widget(
        'Latency per route (p50, p99)',
        ROUTE_LIST.flatMap((route) => [
          methods[route.name].metricLatency(stage, {
            ...minute,
            statistic: 'p50',
            label: `${route.method} ${route.path} p50`,
          }),
          methods[route.name].metricLatency(stage, {
            ...minute,
            statistic: 'p99',
            label: `${route.method} ${route.path} p99`,
          }),
        ]),
      ),
      widget('Lockouts started', [this.metricLockoutsStarted({ ...minute, label: 'lockouts started' })]),
      widget('Throttles', [
        ...ROUTE_LIST.map((route) =>
          functions[route.name].metricThrottles({ ...minute, statistic: 'Sum', label: `${route.name} function` }),
        ),
        this.metricErrors({ code: UPSTREAM_THROTTLED }, { ...minute, label: 'upstream (Rekognition, table)' }),
        stage.metricClientError({ ...minute, statistic: 'Sum', label: 'API 4xx (incl. stage throttling)' }),
      ]),
    );
    dashboard.addWidgets(
      ...(this.props.webAcl
        ? [widget('WAF blocked requests', [this.wafBlocked({ ...minute, label: 'blocked' })])]
        : []),
      widget(
        'Function errors',
        ROUTE_LIST.map((route) =>
          functions[route.name].metricErrors({ ...minute, statistic: 'Sum', label: `${route.name} errors` }),
        ),
      ),
      widget(
        'Error codes',
        (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) =>
          this.metricErrors({ code }, { ...minute, label: code }),
        ),
      ),
    );
    if (alarms.length > 0)
      dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24 }));
    return dashboard;
  }
}

interface AlarmSpec {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  /** Periods (all must breach). @default 1 */
  readonly evaluationPeriods?: number;
  readonly missingData: cloudwatch.TreatMissingData;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
