/**
 * Bare twin of lambda/get-result: the same AWS calls in the same order with the same bundled clients (the session
 * record read, GetFaceLivenessSessionResults, and once the session is final the owner's lockout read, the
 * conditional record update and the attestation's KMS Sign), and Rekognition's raw output and the signature as the
 * body. The handler presigns stored images (with exposeDetails) through lambda/shared/presign.ts, loaded on first
 * use; the twin does the same the same lighter way, so both bundles carry
 * the same presigner. It decides nothing: the update stores the raw status.
 */
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetFaceLivenessSessionResultsCommand } from '@aws-sdk/client-rekognition';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { isTerminalStatus } from '../../contract/liveness-model';
import { createPresigner } from '../../lambda/shared/presign';
import { sdkClientOptions } from '../../lambda/shared/sdk-options';
import { dynamodb, ownerOf, rekognition, settings, tableName } from './clients';

const env = process.env;
// Only get-result signs (like the handler, whose KMS client lives in lambda/shared/attestation.ts, imported by it alone).
const kms = new KMSClient(sdkClientOptions(settings, env.KMS_ENDPOINT));
let presign: ReturnType<typeof createPresigner> | undefined;

export const handler = async (event: APIGatewayProxyEvent) => {
  const sessionId = event.pathParameters?.sessionId;
  const key = { pk: { S: `SESSION#${sessionId}` } };
  await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  const output = await rekognition.send(new GetFaceLivenessSessionResultsCommand({ SessionId: sessionId }));
  let signature: string | undefined;
  if (isTerminalStatus(output.Status)) {
    await dynamodb.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: `OWNER#${ownerOf(event)}` } },
        ConsistentRead: true,
        ProjectionExpression: 'lockedUntil',
      }),
    );
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET #status = :status, #decidedAt = :decidedAt',
        ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#decidedAt)',
        ExpressionAttributeNames: { '#pk': 'pk', '#status': 'status', '#decidedAt': 'decidedAt' },
        ExpressionAttributeValues: {
          ':status': { S: String(output.Status) },
          ':decidedAt': { S: new Date().toISOString() },
        },
      }),
    );
    const { Signature } = await kms.send(
      new SignCommand({
        KeyId: env.ATTESTATION_KEY_ID,
        Message: Buffer.from(`${sessionId}.${String(output.Status)}`),
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    signature = Buffer.from(Signature ?? []).toString('base64url');
  }
  const images = env.EXPOSE_DETAILS === 'true' ? [output.ReferenceImage, ...(output.AuditImages ?? [])] : [];
  const urls: string[] = [];
  for (const image of images) {
    const object = image?.S3Object;
    if (object?.Bucket === undefined || object.Name === undefined) continue;
    presign ??= createPresigner(
      {
        region: env.AWS_REGION ?? '',
        presignedUrlTtlSeconds: Number(env.PRESIGNED_URL_TTL_SECONDS ?? 60),
        ...(env.S3_ENDPOINT ? { s3Endpoint: env.S3_ENDPOINT } : {}),
      },
      rekognition.config,
    );
    urls.push(await (await presign)({ Bucket: object.Bucket, Name: object.Name }));
  }
  return {
    statusCode: 200,
    body: JSON.stringify({
      ...output,
      ...(urls.length > 0 && { urls }),
      ...(signature !== undefined && { signature }),
    }),
  };
};
