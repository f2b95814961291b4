/**
 * Bare twin of lambda/create-session: the same AWS calls in the same order with the same bundled clients (the
 * owner's lock read, CreateFaceLivenessSession with the server-side settings and a fresh token, the session record
 * put), and Rekognition's raw output as the body. No middleware, no logging, no validation, no error mapping: the
 * floor the handler is measured against.
 */
import { randomUUID } from 'node:crypto';
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateFaceLivenessSessionCommand } from '@aws-sdk/client-rekognition';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { dynamodb, ownerOf, rekognition, tableName } from './clients';

const env = process.env;

export const handler = async (event: APIGatewayProxyEvent) => {
  const owner = ownerOf(event);
  await dynamodb.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: `OWNER#${owner}` } },
      ConsistentRead: true,
      ProjectionExpression: 'lockedUntil',
    }),
  );
  const startedAt = Date.now();
  const output = await rekognition.send(
    new CreateFaceLivenessSessionCommand({
      ClientRequestToken: randomUUID(),
      ...(env.KMS_KEY_ID ? { KmsKeyId: env.KMS_KEY_ID } : {}),
      Settings: {
        ...(env.IMAGE_BUCKET
          ? {
              OutputConfig: {
                S3Bucket: env.IMAGE_BUCKET,
                ...(env.IMAGE_KEY_PREFIX ? { S3KeyPrefix: env.IMAGE_KEY_PREFIX } : {}),
              },
            }
          : {}),
        AuditImagesLimit: Number(env.DEFAULT_AUDIT_IMAGES_LIMIT ?? 0),
      },
    }),
  );
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { pk: { S: `SESSION#${output.SessionId}` } },
      UpdateExpression:
        'SET #sessionId = :sessionId, #owner = :owner, #createdAt = :createdAt, #expiresAt = :expiresAt, #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: {
        '#pk': 'pk',
        '#sessionId': 'sessionId',
        '#owner': 'owner',
        '#createdAt': 'createdAt',
        '#expiresAt': 'expiresAt',
        '#ttl': 'ttl',
      },
      ExpressionAttributeValues: {
        ':sessionId': { S: String(output.SessionId) },
        ':owner': { S: owner },
        ':createdAt': { S: new Date(startedAt).toISOString() },
        ':expiresAt': { S: new Date(startedAt + 180_000).toISOString() },
        ':ttl': { N: String(Math.ceil(startedAt / 1000) + 30 * 86_400) },
      },
    }),
  );
  return { statusCode: 201, body: JSON.stringify(output) };
};
