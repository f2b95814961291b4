/**
 * The twins' AWS clients: built with the handlers' own options (lambda/shared/sdk-options.ts: region, retries,
 * timeouts, endpoint), from the raw environment, with no validation. Created once per module, like the handlers' clients.
 *
 * A new AWS call in a handler is a small edit here: add its client (same options as the handler's) in this file, the
 * same call in ./create-session.ts or ./get-result.ts, and a canned answer per new operation in bench/aws-answers.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { sdkClientOptions } from '../../lambda/shared/sdk-options';

const env = process.env;
export const settings = {
  region: env.AWS_REGION,
  sdkMaxAttempts: Number(env.SDK_MAX_ATTEMPTS ?? 2),
  sdkTimeoutMs: Number(env.SDK_TIMEOUT_MS ?? 3000),
};

export const rekognition = new RekognitionClient(sdkClientOptions(settings, env.REKOGNITION_ENDPOINT));
export const dynamodb = new DynamoDBClient(sdkClientOptions(settings, env.DYNAMODB_ENDPOINT));
export const tableName = env.SESSION_TABLE_NAME;

/** The caller as API Gateway reports it, taken as is (the handler's ownerOf also checks and normalises it). */
export function ownerOf(event: { requestContext?: { identity?: { cognitoIdentityId?: string | null } } }): string {
  return `cognito:${event.requestContext?.identity?.cognitoIdentityId ?? ''}`;
}
