/**
 * Powertools Tracer for the handlers' AWS SDK calls: each Rekognition and DynamoDB call becomes an X-Ray subsegment
 * of the function's segment (service, operation, region, request id, retries, status, and for DynamoDB the table name
 * and projection; never a key, a parameter value or a response body, so no biometric data or identity id reaches a
 * trace). Imported first by the traced entries (`../<handler>/traced.ts`), which the construct deploys when
 * `traceAwsCalls` is on.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { HANDLER_ENV, TELEMETRY_ENVIRONMENT } from '../../contract/handler-environment';
import { installClientTracing } from './client-tracing';

export const tracer = new Tracer({
  serviceName: process.env[HANDLER_ENV.POWERTOOLS_SERVICE_NAME] || TELEMETRY_ENVIRONMENT.POWERTOOLS_SERVICE_NAME,
});

installClientTracing((client) => tracer.captureAWSv3Client(client));
