/**
 * Bare twin of lambda/get-result: the same AWS calls in the same order with the same bundled clients (the session
 * record read, GetFaceLivenessSessionResults, and once the session is final the conditional record update), and
 * Rekognition's raw output as the body. The handler presigns stored images (with exposeDetails) through
 * lambda/shared/presign.ts, loaded on first use; the twin does the same the same lighter way, so both bundles carry
 * the same presigner. It decides nothing: the update stores the raw status.
 */
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetFaceLivenessSessionResultsCommand } from '@aws-sdk/client-rekognition';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { isTerminalStatus } from '../../contract/liveness-model';
import { createPresigner } from '../../lambda/shared/presign';
import { dynamodb, ownerOf, rekognition, tableName } from './clients';

const env = process.env;
let presign: ReturnType<typeof createPresigner> | undefined;

export const handler = async (event: APIGatewayProxyEvent) => {
  const sessionId = event.pathParameters?.sessionId;
  const key = { pk: { S: `SESSION#${sessionId}` } };
  await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  const output = await rekognition.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId }));
  if (isTerminalStatus(output.Status)) {
    await dynamodb.send(new UpdateItemCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #status = :status, #decidedAt = :decidedAt',
      ConditionExpression: 'attribute_exists(#pk) AND #owner = :owner AND attribute_not_exists(#decidedAt)',
      ExpressionAttributeNames: { '#pk': 'pk', '#owner': 'owner', '#status': 'status', '#decidedAt': 'decidedAt' },
      ExpressionAttributeValues: { ':owner': { S: ownerOf(event) }, ':status': { S: String(output.Status) }, ':decidedAt': { S: new Date().toISOString() } },
    }));
  }
  const images = env.EXPOSE_DETAILS === 'true' ? [output.ReferenceImage, ...(output.AuditImages ?? [])] : [];
  const urls: string[] = [];
  for (const image of images) {
    const object = image?.S3Object;
    if (object?.Bucket === undefined || object.Name === undefined) continue;
    presign ??= createPresigner(
      { region: env.AWS_REGION ?? '', presignedUrlTtlSeconds: Number(env.PRESIGNED_URL_TTL_SECONDS ?? 60), ...(env.S3_ENDPOINT ? { s3Endpoint: env.S3_ENDPOINT } : {}) },
      rekognition.config,
    );
    urls.push(await (await presign)({ Bucket: object.Bucket, Name: object.Name }));
  }
  return { statusCode: 200, body: JSON.stringify(urls.length > 0 ? { ...output, urls } : output) };
};
