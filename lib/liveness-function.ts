/**
 * The one place that fixes how this project's Lambda functions are built and run. Each function gets its own role with
 * only the statements its caller passes in, plus writing to its own log group and sending X-Ray traces.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { handlerAssetPath, type HandlerName } from './handler-assets';
import { acknowledge } from './nag';
import type { LivenessFunctionOptions } from './props';

/**
 * Memory of every function. Both handlers are I/O-bound when warm (three AWS calls, tens of µs of our own CPU), so
 * memory buys cold-start CPU only (Lambda gives CPU in proportion to memory): 512 MB doubles the CPU share of 256 MB
 * for about $1.30 more per million checks, ≈ 0.01 % of Rekognition's price. See docs/performance.md.
 */
export const LIVENESS_FUNCTION_MEMORY_MB = 512;

/**
 * Memory of the JWK Set function: it calls KMS once per cold start and then answers from memory, and verifiers cache
 * its answer (Cache-Control), so it needs less cold-start CPU than the two API functions.
 */
export const JWKS_FUNCTION_MEMORY_MB = 256;

/** The newest Node.js runtime this CDK version offers; the bundle targets the same version. */
export const LIVENESS_FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;
const BUNDLE_TARGET = 'node24';

/**
 * How every handler is bundled: the one definition scripts/build-handlers.ts builds the shipped assets with (at
 * `npm run build`, never at a consumer's synth) and the benchmark (bench/) measures. In aws-lambda-nodejs's
 * BundlingOptions shape; bench/bundle-options.ts translates it to esbuild's options, exactly as CDK would.
 */
export const LIVENESS_BUNDLING = {
  // Local esbuild only: there is no Docker on the machines that synthesize this app.
  forceDockerBundling: false,
  // Bundle the AWS SDK: the runtime's copy can lag behind Face Liveness features, and a bundle loads faster.
  externalModules: [],
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  // Stack traces need only the mappings; the sources would double the bundle.
  sourcesContent: false,
  target: BUNDLE_TARGET,
  format: OutputFormat.CJS,
  // ES module builds of the SDK tree-shake better: 191 KB less than esbuild's default order, and faster to load.
  mainFields: ['module', 'main'],
  logLevel: LogLevel.WARNING,
} as const satisfies BundlingOptions;

/** Node options of every function: source-mapped stack traces in the logs. */
export const LIVENESS_NODE_OPTIONS = '--enable-source-maps';

export interface LivenessFunctionProps {
  /** Which prebuilt handler (dist/handlers/<name>, built by `npm run build`) the function runs. */
  readonly handler: HandlerName;
  /** What the function does, for the console and the role. */
  readonly description: string;
  /** Everything the function may call besides its own logs and X-Ray: the role gets exactly these statements. */
  readonly statements: readonly iam.PolicyStatement[];
  /** Environment variables for the handler (names from contract/handler-environment.ts). */
  readonly environment: Readonly<Record<string, string>>;
  /** Function timeout, seconds. */
  readonly timeoutSeconds: number;
  /** Retention of the function's log group, days (one of CloudWatch's allowed values). */
  readonly logRetentionDays: number;
  /** What happens to the log group on stack deletion. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** The caller's function options; the values fixed here (runtime, code, role, tracing, log group, environment) win. @default - none */
  readonly overrides?: LivenessFunctionOverrides;
}

/** The public function options this construct applies itself (the rest are settings, read elsewhere). */
export type LivenessFunctionOverrides = Pick<
  LivenessFunctionOptions,
  'memorySize' | 'reservedConcurrentExecutions' | 'vpc' | 'vpcSubnets' | 'securityGroups' | 'environment'
>;

export class LivenessFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LivenessFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // Inline, not a separate policy: the permissions exist as soon as the role does, and the role shows all of them.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (Lambda execution role)`,
      inlinePolicies: { Permissions: new iam.PolicyDocument({ statements: [...props.statements] }) },
    });
    // Instead of AWSLambdaBasicExecutionRole, which may write to every log group in the account.
    this.logGroup.grants.write(this.role);

    const overrides = props.overrides ?? {};
    this.function = new lambda.Function(this, 'Function', {
      reservedConcurrentExecutions: overrides.reservedConcurrentExecutions,
      vpc: overrides.vpc,
      vpcSubnets: overrides.vpcSubnets,
      securityGroups: overrides.securityGroups,
      // Prebuilt at package build time: synth only copies and hashes the folder.
      code: lambda.Code.fromAsset(handlerAssetPath(props.handler)),
      handler: 'index.handler',
      description: props.description,
      runtime: LIVENESS_FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: overrides.memorySize ?? LIVENESS_FUNCTION_MEMORY_MB,
      timeout: Duration.seconds(props.timeoutSeconds),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      // Additions first: the construct's own variables win on a clash.
      environment: { ...overrides.environment, ...props.environment, NODE_OPTIONS: LIVENESS_NODE_OPTIONS },
    });

    acknowledge(
      this.function,
      'Serverless-LambdaDLQ',
      'API Gateway invokes this function synchronously and returns its errors to the caller; a dead-letter queue only receives failed asynchronous invocations, which never happen here.',
    );
    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      acknowledge(
        defaultPolicy,
        'AwsSolutions-IAM5[Resource::*]',
        'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions: AWS requires Resource "*".',
      );
    }
  }
}
