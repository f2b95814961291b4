/**
 * The one environment every measured process gets, handler, twin and empty Node alike: the handler variables the
 * construct sets (contract/handler-environment.ts with the default settings), dummy credentials, the variables the Lambda
 * runtime sets that the libraries read, and NODE_OPTIONS as deployed. Everything else is inherited unchanged (PATH,
 * NODE_EXTRA_CA_CERTS, ...), the same for all variants, which is why each run measures its own empty Node.
 */
import { HANDLER_ENV, handlerEnvironment } from '../contract/handler-environment';
import { LIVENESS_FUNCTION_MEMORY_MB } from '../lib/liveness-function';
import { resolveSettings } from '../bin/settings';
import { BENCH_ATTESTATION_KEY, BENCH_BUCKET, BENCH_OWNER_REF_KEY, BENCH_TABLE } from './aws-answers';
import { DEPLOYED_NODE_OPTIONS } from './bundle-options';

export const BENCH_REGION = 'eu-west-1';
export const BENCH_MEMORY_MB = LIVENESS_FUNCTION_MEMORY_MB;

const CLEARED = /^(AWS_|POWERTOOLS_|_X_AMZN_|LAMBDA_)/;

export function benchEnvironment(
  endpoint: string | undefined,
  { nodeOptions = DEPLOYED_NODE_OPTIONS }: { nodeOptions?: string } = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  const handlerNames = new Set<string>(Object.values(HANDLER_ENV));
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !CLEARED.test(name) && !handlerNames.has(name) && name !== 'NODE_OPTIONS')
      env[name] = value;
  }
  Object.assign(
    env,
    handlerEnvironment(resolveSettings(), { bucketName: BENCH_BUCKET }, BENCH_TABLE, {
      keyArn: BENCH_ATTESTATION_KEY,
      issuer: 'urn:face-liveness:bench',
    }),
    {
      [HANDLER_ENV.OWNER_REF_KEY]: BENCH_OWNER_REF_KEY,
      AWS_REGION: BENCH_REGION,
      AWS_DEFAULT_REGION: BENCH_REGION,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: 'bench-session-token',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_NAME: 'face-liveness-bench',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(BENCH_MEMORY_MB),
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      // Powertools only reports a cold start (log key, ColdStart metric) when the runtime says 'on-demand'.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/face-liveness-bench',
      AWS_LAMBDA_LOG_STREAM_NAME: 'bench',
      // Lambda's variables with tracing ACTIVE, every invocation sampled (the worst case). With traceAwsCalls on, each
      // SDK call sends its X-Ray subsegment, here to a loopback port where no daemon listens (UDP: nothing waits).
      AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    },
  );
  if (nodeOptions !== '') env.NODE_OPTIONS = nodeOptions;
  // On this Node 20 the SDK warns at client creation that it will soon need Node 22; on Lambda's Node 24 it does not.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // One stub answers every AWS service by X-Amz-Target.
  if (endpoint !== undefined) {
    env[HANDLER_ENV.REKOGNITION_ENDPOINT] = endpoint;
    env.DYNAMODB_ENDPOINT = endpoint;
    env[HANDLER_ENV.KMS_ENDPOINT] = endpoint;
  }
  return env;
}
