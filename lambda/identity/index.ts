/**
 * POST /identity/checks and DELETE /identity/subjects/{subject}: the app's backend's routes (IAM only). Wiring only:
 * the work is in ./core.
 */
import { DeleteFacesCommand } from '@aws-sdk/client-rekognition';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { MAX_IDENTITY_CHECK_BODY_BYTES } from '../../contract/identity';
import { ROUTES } from '../../contract/routes';
import { handlerDependencies } from '../shared/clients';
import { CONFIG_STATE } from '../shared/config';
import { ApiError } from '../shared/errors';
import { jsonResponse, type HttpResponse } from '../shared/http';
import { newCheckToken } from '../shared/identity-records';
import { jsonBodyUpTo, type JsonEvent } from '../shared/json-body';
import { httpMiddleware } from '../shared/middleware';
import { sdkClientOptions } from '../shared/sdk-options';
import { createIdentityCheck, eraseSubject, parseCreateCheckRequest, parseSubject, type IdentityDeps } from './core';

const config = CONFIG_STATE.ok ? CONFIG_STATE.config : undefined;
const s3 =
  config === undefined
    ? undefined
    : new S3Client({ ...sdkClientOptions(config, config.s3Endpoint), forcePathStyle: config.s3Endpoint !== undefined });

function deps(): IdentityDeps {
  const { config, rekognition, identityRecords } = handlerDependencies();
  const identity = config.identity;
  if (identity === undefined || s3 === undefined)
    throw new ApiError('BACKEND_MISCONFIGURED', undefined, { detail: 'Identity verification is not configured' });
  const bucket = config.imageBucket;
  return {
    records: identityRecords,
    config: { ...config, identity },
    photos: {
      async put(key, bytes) {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ...(config.kmsKeyId !== undefined && { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: config.kmsKeyId }),
          }),
        );
      },
      async delete(key) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      },
    },
    faces: {
      async deleteFaces(collectionId, faceIds) {
        const { DeletedFaces } = await rekognition.send(
          new DeleteFacesCommand({ CollectionId: collectionId, FaceIds: [...faceIds] }),
        );
        return DeletedFaces?.length ?? 0;
      },
    },
    now: Date.now,
    newToken: newCheckToken,
  };
}

/**
 * API Gateway authorizes these routes with IAM and grants them to the app's backend only; a request with a Cognito
 * identity (a browser's credentials) is refused here too, whatever the API's policies say.
 */
function refuseBrowserCallers(event: APIGatewayProxyEvent | JsonEvent): void {
  const identity = event.requestContext?.identity;
  if (typeof identity?.cognitoIdentityId === 'string' && identity.cognitoIdentityId !== '')
    throw new ApiError('FORBIDDEN', 'This route is for the app backend, not for a browser.');
  if (typeof identity?.userArn !== 'string' || identity.userArn === '')
    throw new ApiError('UNAUTHORIZED', 'The request carries no IAM caller.');
}

export const handler = middy<APIGatewayProxyEvent, HttpResponse>()
  .use(httpMiddleware())
  .use(jsonBodyUpTo(MAX_IDENTITY_CHECK_BODY_BYTES))
  .handler(async (event: JsonEvent) => {
    refuseBrowserCallers(event);
    const d = deps();
    if (event.resource === ROUTES.eraseSubject.path && event.httpMethod === 'DELETE') {
      return jsonResponse(200, await eraseSubject(parseSubject(event.pathParameters), d));
    }
    if (event.resource === ROUTES.createIdentityCheck.path && event.httpMethod === 'POST') {
      const input = parseCreateCheckRequest(event.body, d.config.identity);
      return jsonResponse(201, await createIdentityCheck(input, d));
    }
    throw new ApiError(
      'NOT_FOUND',
      `No route for ${String(event.httpMethod).slice(0, 10)} ${String(event.resource).slice(0, 100)}`,
    );
  });
