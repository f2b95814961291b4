/**
 * The REST API: the routes of contract/routes.ts, each authorized, validated at the edge and proxied to its function;
 * JSON access logs, stage throttling, optional X-Ray; CORS limited to the configured origins, on success and error alike.
 */
import { Annotations, Duration, Names, type RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTE_LIST, type RouteDefinition, type RouteName } from '../contract/routes';
import { addGatewayResponses } from './gateway-responses';
import { acknowledge } from './nag';
import { createSessionBodySchema } from './request-model';
import type { LivenessStageOptions } from './props';
import { CORS_ALLOW_HEADERS, CORS_MAX_AGE_SECONDS } from '../contract/cors';
import { LivenessAuthorization } from './props';

/** The API's one stage; part of every URL and execute-api ARN. */
export const API_STAGE_NAME = 'v1';

export interface LivenessApiProps {
  readonly authorization: LivenessAuthorization;
  /** The pool whose tokens the authorizer accepts; required with LivenessAuthorization.COGNITO. */
  readonly userPool?: cognito.IUserPool;
  readonly allowedOrigins: readonly string[];
  readonly functions: Readonly<Record<RouteName, lambda.IFunction>>;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly logRetentionDays: number;
  readonly logRemovalPolicy: RemovalPolicy;
  /** The caller's stage options; the values fixed here (name, access logs, metrics, throttling) win. @default - none */
  readonly stageOptions?: LivenessStageOptions;
  /** X-Ray tracing of the stage (its traces hold the caller's IP address and the session id in the URL). */
  readonly tracing: boolean;
}

export class LivenessApi extends Construct {
  public readonly api: apigw.RestApi;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly methods: Readonly<Record<RouteName, apigw.Method>>;

  constructor(scope: Construct, id: string, props: LivenessApiProps) {
    super(scope, id);

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.logRemovalPolicy,
    });

    this.api = new apigw.RestApi(this, 'Api', {
      description: 'Amazon Rekognition Face Liveness backend',
      // API Gateway's metrics are keyed by this name: unique per stack, so two deployments' alarms never mix.
      restApiName: Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // The account-wide API Gateway logging role is a per-region singleton: this stack must not own or overwrite it.
      cloudWatchRole: false,
      deployOptions: {
        description: props.stageOptions?.description,
        variables: props.stageOptions?.variables,
        cacheClusterEnabled: props.stageOptions?.cacheClusterEnabled,
        cacheClusterSize: props.stageOptions?.cacheClusterSize,
        methodOptions: props.stageOptions?.methodOptions,
        stageName: API_STAGE_NAME,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        tracingEnabled: props.tracing,
        metricsEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
      },
      defaultCorsPreflightOptions: {
        allowOrigins: [...props.allowedOrigins],
        allowHeaders: [...CORS_ALLOW_HEADERS],
        allowMethods: [...new Set(ROUTE_LIST.map((r) => r.method)), 'OPTIONS'],
        // Fewer preflight round trips before each poll; short enough that an origin removed from the list stops soon.
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      },
    });
    // RestApi always adds an `Endpoint` output with a hashed name; the stack's stable ApiUrl output replaces it.
    this.api.node.tryRemoveChild('Endpoint');
    acknowledge(
      this.api.deploymentStage,
      'AwsSolutions-APIG6',
      'Execution logging needs the account-wide API Gateway CloudWatch role, a per-region singleton this stack must not own. The stage writes JSON access logs that include the gateway error, integration status and WAF result.',
    );

    addGatewayResponses(this.api, props.authorization, props.allowedOrigins);

    const validator = this.api.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const createSessionModel = this.api.addModel('CreateSessionRequest', {
      contentType: 'application/json',
      description: 'Body of POST /sessions (CreateSessionRequest)',
      schema: createSessionBodySchema(),
    });

    const auth = this.methodAuthorization(props);
    const methods: Partial<Record<RouteName, apigw.Method>> = {};
    for (const route of ROUTE_LIST) {
      const pathParameters = requiredPathParameters(route);
      const method = this.api.root.resourceForPath(route.path).addMethod(
        route.method,
        // Only the matching route may invoke the function, and not the console's test-invoke stage.
        new apigw.LambdaIntegration(props.functions[route.name], { proxy: true, allowTestInvoke: false }),
        {
          ...auth,
          requestValidator: validator,
          ...(Object.keys(pathParameters).length > 0 ? { requestParameters: pathParameters } : {}),
          ...(route.name === 'createSession' ? { requestModels: { 'application/json': createSessionModel } } : {}),
        },
      );
      this.acknowledgeMethodAuth(method, props.authorization);
      methods[route.name] = method;
    }
    this.methods = methods as Record<RouteName, apigw.Method>;
  }

  private methodAuthorization(props: LivenessApiProps): apigw.MethodOptions {
    switch (props.authorization) {
      case LivenessAuthorization.IAM:
        return { authorizationType: apigw.AuthorizationType.IAM };
      case LivenessAuthorization.COGNITO: {
        if (!props.userPool) throw new Error('a user pool is required with LivenessAuthorization.COGNITO');
        const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
          cognitoUserPools: [props.userPool],
        });
        return { authorizationType: apigw.AuthorizationType.COGNITO, authorizer };
      }
      case LivenessAuthorization.NONE:
        Annotations.of(this).addWarningV2(
          '@face-liveness/auth-none',
          'authorization is LivenessAuthorization.NONE: anyone who finds the API URL can create Face Liveness sessions (each check is billed) and read results. ' +
            'Use it only behind your own protection, for demos, or for local testing; the default is IAM auth.',
        );
        return { authorizationType: apigw.AuthorizationType.NONE };
    }
  }

  private acknowledgeMethodAuth(method: apigw.Method, authorization: LivenessAuthorization): void {
    if (authorization === LivenessAuthorization.IAM) {
      acknowledge(
        method,
        'AwsSolutions-COG4',
        'The method uses IAM (SigV4) authorization: browsers sign with the short-lived identity-pool credentials they already need for FaceLivenessDetector. A user-pool authorizer is available with LivenessAuthorization.COGNITO.',
      );
    } else if (authorization === LivenessAuthorization.NONE) {
      const reason =
        'The operator chose LivenessAuthorization.NONE (flagged with a synth warning); throttling and WAF still apply.';
      acknowledge(method, 'AwsSolutions-APIG4', reason);
      acknowledge(method, 'AwsSolutions-COG4', reason);
    }
  }
}

/** Every `{param}` of the route's path, declared required so request validation rejects a request without it. */
function requiredPathParameters(route: RouteDefinition): Record<string, boolean> {
  const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return Object.fromEntries(params.map((p) => [`method.request.path.${p}`, true]));
}

/**
 * One JSON object per request, exactly these fields (README "Logs"). Enough to trace a failure (the gateway error,
 * integration status, WAF result); no caller identity and no address (abuse is correlated by the functions' keyed
 * `ownerRef`, and WAF rate-limits by address without logging it here), nothing from the body, and the resource path
 * without the session id.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integration.error',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  wafResponseCode: '$context.wafResponseCode',
  authorizerError: '$context.authorizer.error',
};
