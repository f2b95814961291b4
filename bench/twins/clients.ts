/**
 * The twins' AWS clients: built with the same options as lambda/commons/clients.ts (region, retries, timeouts,
 * endpoint), from the raw environment, with no validation. Created once per module, like the handlers' clients.
 *
 * A new AWS call in a handler is a small edit here: add its client (same options as the handler's) in this file, the
 * same call in ./create-session.ts or ./get-result.ts, and a canned answer per new operation in bench/aws-answers.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RekognitionClient } from '@aws-sdk/client-rekognition';

const env = process.env;
const timeout = Number(env.SDK_TIMEOUT_MS ?? 3000);
const common = {
  region: env.AWS_REGION,
  retryMode: 'standard',
  maxAttempts: Number(env.SDK_MAX_ATTEMPTS ?? 2),
  requestHandler: { connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true },
} as const;

export const rekognition = new RekognitionClient({ ...common, ...(env.REKOGNITION_ENDPOINT ? { endpoint: env.REKOGNITION_ENDPOINT } : {}) });
export const dynamodb = new DynamoDBClient({ ...common, ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}) });
export const tableName = env.SESSION_TABLE_NAME;

/** The caller as API Gateway reports it, taken as is (the handler's ownerOf also checks and normalises it). */
export function ownerOf(event: { requestContext?: { identity?: { cognitoIdentityId?: string | null } } }): string {
  return `cognito:${event.requestContext?.identity?.cognitoIdentityId ?? ''}`;
}
