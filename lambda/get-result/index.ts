/** GET /sessions/{sessionId}/result. Wiring only: the work is in ./core. */
import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createAttester } from '../shared/attestation';
import { deleteImage, handlerDependencies, presignImage } from '../shared/clients';
import { CONFIG_STATE } from '../shared/config';
import { jsonResponse, type HttpResponse } from '../shared/http';
import { callerOf } from '../shared/identity';
import { httpMiddleware } from '../shared/middleware';
import { telemetry } from '../shared/observability';
import { getResult, parseSessionId } from './core';

const attest = createAttester(CONFIG_STATE.ok ? CONFIG_STATE.config : undefined);

export const handler = middy<APIGatewayProxyEvent, HttpResponse>()
  .use(httpMiddleware())
  .handler(async (event) => {
    const { config, rekognition, sessions, identityRecords } = handlerDependencies();
    const sessionId = parseSessionId(event.pathParameters);
    const caller = callerOf(event.requestContext, config.authMode, config.ownerRefKey);
    telemetry.owner(caller.ref);
    const result = await getResult(
      sessionId,
      caller.ref,
      {
        rekognition,
        sessions,
        config,
        presign: presignImage(config, rekognition),
        telemetry,
        now: Date.now,
        ...(attest !== undefined && { attest }),
        ...(config.identity !== undefined && {
          identity: {
            rekognition,
            records: identityRecords,
            identity: config.identity,
            deletePhoto: deleteImage(config, rekognition),
          },
        }),
      },
      caller.subject,
    );
    // Pending: tell the poller when to ask again.
    return jsonResponse(200, result, result.done ? {} : { 'Retry-After': String(config.pollRetryAfterSeconds) });
  });
