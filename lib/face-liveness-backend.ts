/**
 * The reusable backend for Amazon Rekognition Face Liveness: a REST API (create a session, get its result) backed by
 * two functions, an optional image bucket, a Cognito identity pool for the browser's streaming credentials (or your
 * app's own browser roles) and a WAF. Every setting is validated at synth; defaults are the secure ones.
 */
import { Annotations, CfnOutput, type RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IIdentityPool } from 'aws-cdk-lib/aws-cognito-identitypool';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as rekognition from 'aws-cdk-lib/aws-rekognition';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { JWKS_MAX_AGE_SECONDS, JWKS_PATH } from '../contract/attestation';
import type { NotLiveReason } from '../contract/api-types';
import type { ErrorCode } from '../contract/error-codes';
import { BACKEND_ROUTE_LIST, ROUTE_LIST } from '../contract/routes';
import { ApiFirewall } from './api-firewall';
import {
  HANDLER_ENV,
  handlerEnvironment,
  IMAGE_KEY_PREFIX,
  identityEnvironment,
  jwksEnvironment,
  TELEMETRY_ENVIRONMENT,
} from '../contract/handler-environment';
import { IdentityVerification } from './identity-verification';
import { ImageStorage } from './image-storage';
import { API_STAGE_NAME, LivenessApi } from './liveness-api';
import { JWKS_FUNCTION_MEMORY_MB, LivenessFunction } from './liveness-function';
import {
  acknowledgeBrowserAccess,
  browserAccessStatements,
  LivenessIdentityPool,
  type BrowserAccess,
} from './liveness-identity-pool';
import { LivenessMonitoring } from './monitoring';
import { acknowledge, wildcardResourceFinding } from './nag';
import { assertFaceLivenessRegion } from './region-guard';
import { SESSION_TABLE_KEY_ACTIONS, SessionTable } from './session-table';
import { settingWarnings } from './setting-warnings';
import { HANDLER_DEFAULTS } from './defaults';
import { FaceLivenessValidationError } from './errors';
import { type FaceLivenessBackendProps, LivenessAuthorization } from './props';
import { resolveProps } from './resolve-props';
import { STACK_OUTPUTS } from './outputs';

/**
 * The backend for Amazon Rekognition Face Liveness: a REST API (create a session, get its result, the attestation
 * key's JWK Set) backed by three functions, the session table, an optional image bucket, a Cognito identity pool for
 * the browser's streaming credentials (or your app's own browser roles), a WAF, alarms and a dashboard. Every prop
 * is checked at synth (a FaceLivenessValidationError names the prop path); the defaults are the secure ones.
 */
export class FaceLivenessBackend extends Construct {
  /** How API callers authenticate (the value in effect). */
  public readonly authorization: LivenessAuthorization;
  /** The REST API (stage `v1`). */
  public readonly api: apigw.RestApi;
  /** The API's base URL (the `v1` stage), e.g. for your frontend's configuration. */
  public readonly apiUrl: string;
  /** The API stage's access log group (no source IP, no identity id). */
  public readonly apiAccessLogGroup: logs.ILogGroup;
  /** The function behind POST /sessions. */
  public readonly createSessionFunction: lambda.IFunction;
  /** The function behind GET /sessions/{sessionId}/result. */
  public readonly getResultFunction: lambda.IFunction;
  /** The create-session function's role. */
  public readonly createSessionRole: iam.IRole;
  /** The result function's role. */
  public readonly getResultRole: iam.IRole;
  /** The image bucket, when images are stored. */
  public readonly imageBucket?: s3.IBucket;
  /** The customer-managed key of the images and the table in effect: the `encryptionKey` prop, or the one created for ImageEncryption.KMS. */
  public readonly encryptionKey?: kms.IKey;
  /** The image bucket's server access log bucket, when images are stored with server access logs. */
  public readonly accessLogBucket?: s3.IBucket;
  /** The identity pool, when the construct creates one (no `existingBrowserRoles`). */
  public readonly identityPool?: IIdentityPool;
  /** The authenticated role of the identity pool the construct creates. */
  public readonly authenticatedRole?: iam.IRole;
  /** The guest (unauthenticated) role of the identity pool the construct creates, when guest access is on. */
  public readonly guestRole?: iam.IRole;
  /** The WAF web ACL, when the firewall is on. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /**
   * Who owns each session, the server's verdict on it, and the failure lockout (README: "The verdict record"). For
   * your own code, `grantReadVerdicts(grantee)` gives exactly the verdict reads (not the lockout items).
   */
  public readonly sessionTable: dynamodb.ITable;
  /** The key that signs verdict attestations (README: "What a verdict proves, and what it does not"). */
  public readonly attestationKey: kms.IKey;
  /** The issuer (`iss`) of attestations. */
  public readonly attestationIssuer: string;
  /** Serves the attestation key's JWK Set at GET /.well-known/jwks.json. */
  public readonly jwksFunction: lambda.IFunction;
  /** The alarms, the dashboard and the alarm topic in effect (README: "Operating it"). */
  public readonly monitoring: LivenessMonitoring;
  /** The function behind identity verification's routes, when the `identity` prop is set. */
  public readonly identityFunction?: lambda.IFunction;
  /** The identity function's role. */
  public readonly identityRole?: iam.IRole;
  /** The face collection of enrolled subjects, when identity verification's enrolment is on. */
  public readonly faceCollection?: rekognition.CfnCollection;
  /** The WAF's log group (aws-waf-logs-...), when the firewall is on. */
  public readonly wafLogGroup?: logs.ILogGroup;

  private readonly sessions: SessionTable;
  private readonly browserAccess: BrowserAccess;
  private browserAccessGrants = 0;
  /** The identity pool's developer provider name, when it has one (grantDeveloperAuthentication). */
  private developerProvider?: string;

  /**
   * @param scope the construct's parent
   * @param id its id
   * @param props its props; every one is optional
   * @throws FaceLivenessValidationError when a prop (or the stack's region) cannot work, naming each prop path
   */
  constructor(scope: Construct, id: string, props: FaceLivenessBackendProps = {}) {
    super(scope, id);
    const resolved = resolveProps(props);
    const settings = resolved.handler;
    this.authorization = resolved.authorization;
    const alarmTopic = props.monitoring?.alarmTopic;
    assertFaceLivenessRegion(this, resolved.allowUnsupportedRegion);
    const stack = Stack.of(this);
    const deployedEnvironment = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
    for (const warning of settingWarnings(
      { ...settings, identitySimilarityThreshold: resolved.identity?.similarityThreshold },
      {
        deployedEnvironment,
        defaultOrigins: HANDLER_DEFAULTS.allowedOrigins,
        isUnresolved: (v) => Token.isUnresolved(v),
      },
    )) {
      Annotations.of(this).addWarningV2(warning.id, warning.message);
    }

    const removalPolicy = resolved.removalPolicy;
    const region = Stack.of(this).region;
    const rekognitionCondition = resolved.restrictToRegion
      ? { StringEquals: { 'aws:RequestedRegion': region } }
      : undefined;

    const existingBucket = props.images?.existingBucket;
    if (resolved.images.store && existingBucket) {
      // The app's own bucket: granted below exactly as a created one, under the same key prefix.
      this.imageBucket = existingBucket;
    } else if (resolved.images.store) {
      const storage = new ImageStorage(this, 'Images', {
        retentionDays: resolved.images.retentionDays,
        encryption: resolved.images.encryption,
        serverAccessLogs: resolved.images.serverAccessLogs,
        accessLogRetentionDays: resolved.logRetentionDays,
        removalPolicy,
        encryptionKey: props.encryptionKey,
      });
      this.imageBucket = storage.bucket;
      this.encryptionKey = storage.key;
      this.accessLogBucket = storage.accessLogBucket;
    }
    // A brought key encrypts the table even without stored images.
    this.encryptionKey ??= props.encryptionKey;

    // Encrypted with the images' key when the operator chose a customer-managed key for biometric data.
    this.sessions = new SessionTable(this, 'Sessions', { encryptionKey: this.encryptionKey, removalPolicy });
    this.sessionTable = this.sessions.table;

    const broughtKey = props.attestation?.key;
    this.attestationKey = broughtKey ?? this.createAttestationKey(removalPolicy);
    this.attestationIssuer =
      resolved.attestation.issuer ?? `urn:face-liveness:${Stack.of(this).stackName}:${this.node.path}`;
    const environment = handlerEnvironment(
      settings,
      this.imageBucket ? { bucketName: this.imageBucket.bucketName, kmsKeyArn: this.encryptionKey?.keyArn } : undefined,
      this.sessionTable.tableName,
      {
        keyArn: this.attestationKey.keyArn,
        issuer: this.attestationIssuer,
        ...(resolved.attestation.audience !== undefined && { audience: resolved.attestation.audience }),
      },
    );
    // The key of the owner references (an HMAC: what the table, logs and attestations name owners by): random,
    // generated by Secrets Manager at deploy time, and handed to the functions by a CloudFormation dynamic reference,
    // resolved at deploy time: not in the template, no call at cold start (README "Logs").
    const ownerRefKey = new secretsmanager.Secret(this, 'OwnerRefKey', {
      description: 'Face Liveness: key of the owner references (HMAC) in the session table and the function logs',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy,
    });
    acknowledge(
      ownerRefKey,
      'AwsSolutions-SMG4',
      'Rotating this key changes every owner reference: sessions created before it can no longer be read by their owners and lockouts start afresh, so it is rotated deliberately, by putting a new secret value and redeploying (README "Logs"). No rotation Lambda is worth that.',
    );
    environment[HANDLER_ENV.OWNER_REF_KEY] = ownerRefKey.secretValue.unsafeUnwrap();

    // Identity verification: the face collection, and its variables for all three API functions.
    let verification: IdentityVerification | undefined;
    if (resolved.identity !== undefined && this.imageBucket !== undefined) {
      verification = new IdentityVerification(this, 'IdentityVerification', {
        enrolment: resolved.identity.enrolment,
        removalPolicy,
        imageBucket: this.imageBucket,
        imageKey: this.encryptionKey,
        referencePhotoSources: resolved.identity.referencePhotoSources,
        sessions: this.sessions,
      });
      Object.assign(
        environment,
        identityEnvironment({
          similarityThreshold: resolved.identity.similarityThreshold,
          ...(verification.collectionId !== undefined && { collectionId: verification.collectionId }),
          referencePhotoSources: resolved.identity.referencePhotoSources.map((source) => ({
            bucket: source.bucket.bucketName,
            prefix: source.prefix,
          })),
          checkTtlSeconds: resolved.identity.checkTtlSeconds,
        }),
      );
      this.faceCollection = verification.collection;
    }
    const functionDefaults = {
      environment,
      overrides: props.functions,
      timeoutSeconds: resolved.functionTimeoutSeconds,
      logRetentionDays: resolved.logRetentionDays,
      logRemovalPolicy: removalPolicy,
    };

    // Rekognition stores the images with the permissions of CreateFaceLivenessSession's caller. The result handler
    // reads images only to presign URLs for exposeDetails; without it, it never touches the bucket.
    const createAccess: FunctionAccess = {
      rekognitionAction: 'rekognition:CreateFaceLivenessSession',
      rekognitionCondition,
      images: this.imageBucket
        ? { s3Action: 's3:PutObject', kmsActions: ['kms:GenerateDataKey', 'kms:Encrypt'], purpose: 'writes' }
        : undefined,
      table: this.sessions.createSessionStatements(verification !== undefined),
      tableKey: this.sessions.encryptionKey,
    };
    const resultAccess: FunctionAccess = {
      rekognitionAction: 'rekognition:GetFaceLivenessSessionResults',
      rekognitionCondition,
      images:
        this.imageBucket && settings.exposeDetails
          ? { s3Action: 's3:GetObject', kmsActions: ['kms:Decrypt'], purpose: 'reads (to presign URLs)' }
          : undefined,
      table: this.sessions.getResultStatements(verification !== undefined),
      tableKey: this.sessions.encryptionKey,
      attestation: broughtKey !== undefined ? [this.signStatement(broughtKey.keyArn)] : [],
      ...(verification !== undefined && {
        extra: verification.resultStatements(rekognitionCondition),
        wildcardActions: ['rekognition:CompareFaces', 'rekognition:DetectFaces'],
      }),
    };
    const createSession = new LivenessFunction(this, 'CreateSession', {
      ...functionDefaults,
      handler: settings.traceAwsCalls ? 'create-session-traced' : 'create-session',
      description: 'Face Liveness: creates a session',
      statements: this.functionStatements(createAccess),
    });
    const getResult = new LivenessFunction(this, 'GetResult', {
      ...functionDefaults,
      handler: settings.traceAwsCalls ? 'get-result-traced' : 'get-result',
      description: 'Face Liveness: returns the result of a session',
      statements: this.functionStatements(resultAccess),
    });
    // The JWK Set: only the attestation key's public half, nothing else (no Rekognition, no table), and an environment
    // of its own: a public, unauthenticated route gets no ownerRef key, no table or bucket name, no other setting.
    const { memorySize, reservedConcurrentExecutions, environment: _extra, ...placement } = props.functions ?? {};
    const jwks = new LivenessFunction(this, 'Jwks', {
      environment: jwksEnvironment(this.attestationKey.keyArn, settings),
      overrides: {
        ...placement,
        memorySize: props.jwksFunction?.memorySize ?? JWKS_FUNCTION_MEMORY_MB,
        reservedConcurrentExecutions: props.jwksFunction?.reservedConcurrentExecutions,
      },
      timeoutSeconds: resolved.functionTimeoutSeconds,
      logRetentionDays: resolved.logRetentionDays,
      logRemovalPolicy: removalPolicy,
      handler: 'jwks',
      description: 'Face Liveness: serves the public key of verdict attestations',
      statements: [new iam.PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [this.attestationKey.keyArn] })],
    });
    this.jwksFunction = jwks.function;
    // Added once the role exists: the key policy names it, and the role's own policy does not name the key (no cycle).
    if (broughtKey === undefined) this.attestationKey.addToResourcePolicy(this.signStatement('*', getResult.role));
    this.acknowledgeFunctionRole(createSession.role, createAccess);
    this.acknowledgeFunctionRole(getResult.role, resultAccess);
    verification?.acknowledgeResultRole(getResult.role);
    const identityFunction = verification?.createFunction(functionDefaults);
    this.identityFunction = identityFunction?.function;
    this.identityRole = identityFunction?.role;
    this.createSessionFunction = createSession.function;
    this.getResultFunction = getResult.function;
    this.createSessionRole = createSession.role;
    this.getResultRole = getResult.role;

    const api = new LivenessApi(this, 'Api', {
      authorization: resolved.authorization,
      userPool: resolved.authorization === LivenessAuthorization.COGNITO ? props.userPool : undefined,
      allowedOrigins: settings.allowedOrigins,
      functions: { createSession: createSession.function, getResult: getResult.function },
      ...(identityFunction !== undefined && {
        backendFunctions: {
          createIdentityCheck: identityFunction.function,
          eraseSubject: identityFunction.function,
        },
      }),
      throttlingRateLimit: resolved.throttling.rateLimit,
      throttlingBurstLimit: resolved.throttling.burstLimit,
      logRetentionDays: resolved.logRetentionDays,
      logRemovalPolicy: removalPolicy,
      stageOptions: props.stageOptions,
      tracing: resolved.apiTracing,
    });
    if (!resolved.apiTracing) {
      acknowledge(
        api.api.deploymentStage,
        'Serverless-APIGWXrayEnabled',
        "Stage traces hold the caller's IP address and the session id in the URL, which the access logs leave out on purpose; the functions are traced with X-Ray, and stageOptions.tracingEnabled turns stage tracing on.",
      );
    }
    this.api = api.api;
    this.apiUrl = api.api.url;
    this.apiAccessLogGroup = api.accessLogGroup;
    this.addJwksRoute(jwks.function);

    let firewall: ApiFirewall | undefined;
    if (resolved.firewall.enabled) {
      firewall = new ApiFirewall(this, 'Firewall', {
        stageArn: api.api.deploymentStage.stageArn,
        rateLimitPerIp: resolved.firewall.rateLimitPerIp,
        logRetentionDays: resolved.logRetentionDays,
        logRemovalPolicy: removalPolicy,
      });
      this.webAcl = firewall.webAcl;
      this.wafLogGroup = firewall.logGroup;
    } else {
      acknowledge(
        this.api.deploymentStage,
        'AwsSolutions-APIG3',
        'The operator turned the WAF off with firewall.enabled false (for example, a WAF managed elsewhere); stage throttling still applies.',
      );
    }

    this.monitoring = new LivenessMonitoring(this, 'Monitoring', {
      api: this.api,
      methods: api.methods,
      functions: { createSession: createSession.function, getResult: getResult.function },
      metricsNamespace: TELEMETRY_ENVIRONMENT.POWERTOOLS_METRICS_NAMESPACE,
      serviceName: TELEMETRY_ENVIRONMENT.POWERTOOLS_SERVICE_NAME,
      webAcl: firewall ? { metricName: firewall.metricName, region } : undefined,
      alarms: resolved.monitoring.alarms,
      dashboard: resolved.monitoring.dashboard,
      alarmTopic,
      alarmEmail: resolved.monitoring.alarmEmail,
      thresholds: resolved.monitoring.thresholds,
    });

    this.browserAccess = {
      // Only IAM-authorized routes check execute-api:Invoke; with other auth modes the permission would be dead weight.
      invokeArns:
        resolved.authorization === LivenessAuthorization.IAM
          ? ROUTE_LIST.map((route) =>
              this.api.arnForExecuteApi(route.method, route.path.replace(/\{\w+\}/g, '*'), API_STAGE_NAME),
            )
          : [],
      rekognitionCondition,
    };

    if (props.existingBrowserRoles) {
      // The app's own identity pool (e.g. Amplify's) hands out these roles: no second pool.
      for (const role of props.existingBrowserRoles) this.grantBrowserAccess(role);
      if (props.frontendOutputs) this.addFrontendOutputs();
      return;
    }
    const identity = new LivenessIdentityPool(this, 'Identity', {
      allowGuestAccess: resolved.allowGuestAccess,
      userPool: props.userPool,
      userPoolClient: props.userPoolClient,
      authenticationProviders: props.authenticationProviders,
      ...this.browserAccess,
    });
    this.developerProvider = props.authenticationProviders?.customProvider;
    if (!resolved.allowGuestAccess && !identity.hasLoginProvider) {
      // Without guests, only signed-in identities get browser credentials, and the pool has no sign-in provider yet.
      Annotations.of(this).addWarningV2(
        '@face-liveness/no-identity-provider',
        'allowGuestAccess is false: browsers can only get streaming credentials as signed-in identities, so add your sign-in provider ' +
          '(userPool with userPoolClient, or identityPool.addUserPoolAuthentication) to the identity pool (FaceLivenessBackend.identityPool).',
      );
    }
    this.identityPool = identity.identityPool;
    this.authenticatedRole = identity.authenticatedRole;
    this.guestRole = identity.guestRole;
    if (props.frontendOutputs) this.addFrontendOutputs();
  }

  /**
   * Lets your backend (its role, function, user) mint identities of the pool's custom developer provider:
   * cognito-identity:GetOpenIdTokenForDeveloperIdentity on this identity pool, nothing else. Needs
   * `authenticationProviders.customProvider`.
   */
  public grantDeveloperAuthentication(grantee: iam.IGrantable): iam.Grant {
    if (!this.identityPool || this.developerProvider === undefined) {
      throw new FaceLivenessValidationError([
        {
          propPath: 'authenticationProviders.customProvider',
          message:
            'grantDeveloperAuthentication needs authenticationProviders.customProvider: without a developer provider on the identity pool the construct creates, there are no developer identities to mint',
        },
      ]);
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['cognito-identity:GetOpenIdTokenForDeveloperIdentity'],
      resourceArns: [this.identityPool.identityPoolArn],
    });
  }

  /** The frontend's configuration as stack outputs, under the names `face-liveness config` reads (STACK_OUTPUTS). */
  private addFrontendOutputs(): void {
    const output = (name: keyof typeof STACK_OUTPUTS, value: string, description: string) =>
      new CfnOutput(this, `Output${STACK_OUTPUTS[name]}`, { value, description }).overrideLogicalId(
        STACK_OUTPUTS[name],
      );
    output('apiUrl', this.api.url, 'Base URL of the API stage');
    output('region', Stack.of(this).region, 'Region of the API and of Face Liveness streaming');
    if (this.identityPool) {
      output('identityPoolId', this.identityPool.identityPoolId, 'Cognito identity pool for browser credentials');
    }
    output('authMode', this.authorization, 'How API calls authenticate (iam, cognito or none)');
  }

  /**
   * Lets a browser role (e.g. your identity pool's authenticated or unauthenticated role) do what FaceLivenessDetector
   * and this API need: exactly rekognition:StartFaceLivenessSession and, with IAM authorization, execute-api:Invoke on
   * the two routes. The policy is created in this construct and attached to the role.
   */
  public grantBrowserAccess(role: iam.IRole): iam.Policy {
    const policy = new iam.Policy(
      this,
      `BrowserAccess${this.browserAccessGrants === 0 ? '' : this.browserAccessGrants + 1}`,
      {
        statements: browserAccessStatements(this.browserAccess),
        roles: [role],
      },
    );
    this.browserAccessGrants += 1;
    acknowledgeBrowserAccess(policy, this.browserAccess);
    return policy;
  }

  /**
   * Lets your own code read verdicts: dynamodb:GetItem on session items (`SESSION#` keys) only, never the lockout
   * items, plus decrypting with the table's customer-managed key when it has one. README: "The verdict record".
   */
  public grantReadVerdicts(grantee: iam.IGrantable): iam.Grant {
    return this.sessions.grantReadVerdicts(grantee);
  }

  /**
   * Lets your app's backend call identity verification's routes (POST /identity/checks, DELETE
   * /identity/subjects/{subject}): exactly execute-api:Invoke on those two, which are IAM-authorized whatever the
   * browser routes use. Never give it to a browser role: the browser only carries the check token.
   * @throws Error when the `identity` prop is not set (there are no such routes)
   */
  public grantIdentityChecks(grantee: iam.IGrantable): iam.Grant {
    if (this.identityFunction === undefined)
      throw new FaceLivenessValidationError([
        {
          propPath: 'identity',
          message: 'grantIdentityChecks needs the identity prop: without it there are no identity routes',
        },
      ]);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: BACKEND_ROUTE_LIST.map((route) =>
        this.api.arnForExecuteApi(route.method, route.path.replace(/\{\w+\}/g, '*'), API_STAGE_NAME),
      ),
    });
  }

  /**
   * Lets an app's backend consume verdicts once (client/consume-verdict.ts): exactly one UpdateItem of SESSION# items,
   * naming only `consumedAt` and the attributes of its condition, returning nothing. Nothing else of the table.
   */
  public grantConsumeVerdicts(grantee: iam.IGrantable): iam.Grant {
    return this.sessions.grantConsumeVerdicts(grantee);
  }

  /**
   * The verdicts the backend decided, as its functions emit them (the handlers' Powertools metrics): all of one
   * outcome, or the not-live ones of one reason. Sum over 5 minutes unless `options` say otherwise.
   */
  public metricVerdicts(
    filter: { readonly outcome: 'live' | 'notLive'; readonly reason?: NotLiveReason },
    options?: cloudwatch.MetricOptions,
  ): cloudwatch.Metric {
    return this.monitoring.metricVerdicts(filter, options);
  }

  /** Sessions created. Sum over 5 minutes unless `options` say otherwise. */
  public metricSessionsCreated(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.monitoring.metricSessionsCreated(options);
  }

  /** Failure lockouts started. Sum over 5 minutes unless `options` say otherwise. */
  public metricLockoutsStarted(options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.monitoring.metricLockoutsStarted(options);
  }

  /** API errors the functions answered: all, or those of one error code. Sum over 5 minutes unless `options` say otherwise. */
  public metricErrors(filter?: { readonly code?: ErrorCode }, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.monitoring.metricErrors(filter, options);
  }

  /** The signing key: asymmetric, so verifiers need only its public half; retained like the table. */
  private createAttestationKey(removalPolicy: RemovalPolicy): kms.Key {
    // An explicit key policy without wildcard actions. The account administers the key and may delegate reading its
    // public key through IAM, but not signing: kms:Sign is not in the account's statement, so no IAM policy in the
    // account (not even kms:* on "*") can sign with it. Signing is granted to the result function's role alone, in
    // the key policy (signStatement, added once that role exists). Nobody may encrypt or decrypt: it is SIGN_VERIFY.
    const account = Stack.of(this).account;
    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: ATTESTATION_KEY_ADMIN_SID,
          principals: [new iam.AccountRootPrincipal()],
          actions: ATTESTATION_KEY_POLICY_ACTIONS,
          resources: ['*'],
          conditions: { StringEquals: { 'kms:CallerAccount': account } },
        }),
      ],
    });
    const key = new kms.Key(this, 'AttestationKey', {
      description: 'Face Liveness: signs verdict attestations (ES256)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      policy,
      removalPolicy,
    });
    // KMS does not rotate asymmetric keys (cdk-nag's KMS5 does not apply): rotate by passing a new attestation.key;
    // verifiers find it in the JWK Set by its kid.
    return key;
  }

  /**
   * kms:Sign exactly as lambda/shared/attestation.ts calls it (ES256 over the raw JWS signing input), for the result
   * function's role alone. A key the construct created grants it in its key policy (the account's statement leaves
   * kms:Sign out); a brought key's policy is its owner's, so the role gets it as an IAM statement on that key, which
   * works when that policy delegates to the account's IAM.
   */
  private signStatement(resource: string, principal?: iam.IPrincipal): iam.PolicyStatement {
    return new iam.PolicyStatement({
      ...(principal !== undefined && { sid: ATTESTATION_KEY_SIGNER_SID, principals: [principal] }),
      actions: ['kms:Sign'],
      resources: [resource],
      conditions: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'RAW' } },
    });
  }

  /** GET /.well-known/jwks.json: unauthenticated (verifiers are other services), cacheable, no CORS restriction needed. */
  private addJwksRoute(fn: lambda.IFunction): void {
    const method = this.api.root
      .resourceForPath(JWKS_PATH)
      .addMethod('GET', new apigw.LambdaIntegration(fn, { proxy: true, allowTestInvoke: false }), {
        authorizationType: apigw.AuthorizationType.NONE,
      });
    const reason = `The JWK Set is public by design (the public half of the attestation key, served with Cache-Control max-age=${JWKS_MAX_AGE_SECONDS}); throttling and WAF still apply.`;
    acknowledge(method, 'AwsSolutions-APIG4', reason);
    acknowledge(method, 'AwsSolutions-COG4', reason);
  }

  /** One function's whole permission set: its Rekognition action, its part of the session table, and its image access when it needs any. */
  private functionStatements(access: FunctionAccess): iam.PolicyStatement[] {
    const statements = [
      new iam.PolicyStatement({
        actions: [access.rekognitionAction],
        resources: ['*'],
        ...(access.rekognitionCondition ? { conditions: access.rekognitionCondition } : {}),
      }),
      ...access.table,
    ];
    if (access.attestation) statements.push(...access.attestation);
    if (access.extra) statements.push(...access.extra);
    const kmsActions = new Set<string>(access.tableKey ? SESSION_TABLE_KEY_ACTIONS : []);
    if (access.images && this.imageBucket) {
      statements.push(
        new iam.PolicyStatement({
          actions: [access.images.s3Action],
          resources: [this.imageBucket.arnForObjects(`${IMAGE_KEY_PREFIX}*`)],
        }),
      );
      if (this.encryptionKey) for (const action of access.images.kmsActions) kmsActions.add(action);
    }
    // The table and the images share one key (the images' key): one statement with the union of what both need.
    const key = access.tableKey ?? this.encryptionKey;
    if (key && kmsActions.size > 0)
      statements.push(new iam.PolicyStatement({ actions: [...kmsActions].sort(), resources: [key.keyArn] }));
    return statements;
  }

  private acknowledgeFunctionRole(role: iam.Role, access: FunctionAccess): void {
    const cfnRole = role.node.defaultChild as iam.CfnRole;
    const reason = `${[access.rekognitionAction, ...(access.wildcardActions ?? [])].join(', ')} support${access.wildcardActions ? '' : 's'} no resource types or condition keys, so AWS requires Resource "*"; the statement is narrowed by aws:RequestedRegion when restrictToRegion is on.`;
    acknowledge(cfnRole, 'AwsSolutions-IAM5[Resource::*]', reason);
    acknowledge(cfnRole, 'Serverless-LambdaStarPermissions', reason);
    if (access.images && this.imageBucket) {
      acknowledge(
        cfnRole,
        wildcardResourceFinding(this, this.imageBucket.arnForObjects(`${IMAGE_KEY_PREFIX}*`)),
        `Rekognition generates the image object names per session, so the function ${access.images.purpose} objects under the ${IMAGE_KEY_PREFIX} prefix of this one bucket and nothing else.`,
      );
    }
  }
}

/** The statement ids of the attestation key's policy: the account's, and the result function's signing grant. */
export const ATTESTATION_KEY_ADMIN_SID = 'AccountAdministersAndReadsPublicKey';
export const ATTESTATION_KEY_SIGNER_SID = 'ResultFunctionSigns';

/**
 * The account's actions in the attestation key's policy: administration and reading the public key (delegated to the
 * JWK Set function through IAM). No wildcards, and neither kms:Sign nor kms:Verify (verifiers use the JWK Set).
 */
export const ATTESTATION_KEY_POLICY_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:GetKeyPolicy',
  'kms:GetPublicKey',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
];

/** What one function may do: its Rekognition action, its session-table statements and, if it needs them, the images. */
interface FunctionAccess {
  /** More statements (identity verification's, built by lib/identity-verification.ts). */
  readonly extra?: readonly iam.PolicyStatement[];
  /** More actions on Resource "*" in `extra`, named in the acknowledgement. */
  readonly wildcardActions?: readonly string[];
  readonly rekognitionAction: string;
  readonly images?: { readonly s3Action: string; readonly kmsActions: readonly string[]; readonly purpose: string };
  readonly rekognitionCondition?: Record<string, Record<string, unknown>>;
  readonly table: readonly iam.PolicyStatement[];
  /** The table's customer-managed key, when it has one. */
  readonly tableKey?: kms.IKey;
  /** Its IAM statements on the attestation key (none where the key policy grants them). */
  readonly attestation?: readonly iam.PolicyStatement[];
}
