/**
 * SDK clients, created once per module (cold start) and reused while warm. Region, retries and timeouts come from
 * the validated configuration; nothing here is hard-coded.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { CONFIG_STATE, type HandlerConfig } from './config';
import { ApiError } from './errors';
import { createObjectDeleter, createPresigner, type ObjectRef } from './presign';
import { sdkClientOptions } from './sdk-options';
import { dynamoIdentityRecords, type IdentityRecords } from './identity-records';
import { dynamoSessionRecords, type SessionRecords } from './session-records';
import { traceClient } from './client-tracing';

// With traceAwsCalls (and the traced asset), each call becomes an X-Ray subsegment of the function's segment (./tracer.ts).
export function createRekognitionClient(config: HandlerConfig): RekognitionClient {
  return traceClient(new RekognitionClient(sdkClientOptions(config, config.rekognitionEndpoint)), config.traceAwsCalls);
}

export function createDynamoDBClient(config: HandlerConfig): DynamoDBClient {
  return traceClient(new DynamoDBClient(sdkClientOptions(config, config.dynamodbEndpoint)), config.traceAwsCalls);
}

export interface HandlerDependencies {
  readonly config: HandlerConfig;
  readonly rekognition: RekognitionClient;
  readonly sessions: SessionRecords;
  /** Identity checks and subjects (identity verification); same table, same client. */
  readonly identityRecords: IdentityRecords;
}

function createHandlerDependencies(config: HandlerConfig): HandlerDependencies {
  const dynamo = createDynamoDBClient(config);
  return {
    config,
    rekognition: createRekognitionClient(config),
    sessions: dynamoSessionRecords(dynamo, config.sessionTableName),
    identityRecords: dynamoIdentityRecords(dynamo, config.sessionTableName),
  };
}

const DEPENDENCIES: HandlerDependencies | undefined = CONFIG_STATE.ok
  ? createHandlerDependencies(CONFIG_STATE.config)
  : undefined;

/** The configured clients, or a 500 BACKEND_MISCONFIGURED carrying the configuration problems for the log. */
export function handlerDependencies(): HandlerDependencies {
  if (DEPENDENCIES !== undefined) return DEPENDENCIES;
  const problems = CONFIG_STATE.ok ? [] : CONFIG_STATE.problems;
  throw new ApiError('BACKEND_MISCONFIGURED', undefined, {
    detail: `Invalid handler configuration: ${problems.join('; ')}`,
  });
}

export type PresignImage = (object: ObjectRef) => Promise<string>;

let presigner: ReturnType<typeof createPresigner> | undefined;

/**
 * A presigner for image GET URLs, loaded on first use only: it is needed just with exposeDetails and a bucket, and
 * loading it would otherwise cost every cold start.
 */
export function presignImage(config: HandlerConfig, rekognition: RekognitionClient): PresignImage {
  return async (object) => {
    presigner ??= createPresigner(config, rekognition.config).catch((error: unknown) => {
      presigner = undefined;
      throw error;
    });
    return (await presigner)(object);
  };
}

export type DeleteImage = (object: ObjectRef) => Promise<void>;

let deleter: ReturnType<typeof createObjectDeleter> | undefined;

/** Deletes a stored reference photo (identity verification), loaded on first use like the presigner. */
export function deleteImage(config: HandlerConfig, rekognition: RekognitionClient): DeleteImage {
  return async (object) => {
    deleter ??= createObjectDeleter(config, rekognition.config).catch((error: unknown) => {
      deleter = undefined;
      throw error;
    });
    return (await deleter)(object);
  };
}
