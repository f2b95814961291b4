/** GET /sessions/{sessionId}/result. Wiring only: the work is in ./core. */
import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createAttester } from '../commons/attestation';
import { presignImage, runtime } from '../commons/clients';
import { CONFIG_STATE } from '../commons/config';
import { jsonResponse, type HttpResponse } from '../commons/http';
import { ownerOf, ownerRef } from '../commons/identity';
import { httpStack } from '../commons/middleware';
import { telemetry } from '../commons/observability';
import { getResult, parseSessionId } from './core';

const attest = createAttester(CONFIG_STATE.ok ? CONFIG_STATE.config : undefined);

export const handler = middy<APIGatewayProxyEvent, HttpResponse>()
  .use(httpStack())
  .handler(async (event) => {
    const { config, rekognition, sessions } = runtime();
    const sessionId = parseSessionId(event.pathParameters);
    const owner = ownerOf(event.requestContext, config.authMode);
    telemetry.owner(ownerRef(owner, config.ownerRefKey));
    const result = await getResult(sessionId, owner, {
      rekognition, sessions, config, presign: presignImage(config, rekognition), telemetry, now: Date.now, ...(attest !== undefined && { attest }),
    });
    // Pending: tell the poller when to ask again.
    return jsonResponse(200, result, result.done ? {} : { 'Retry-After': String(config.pollRetryAfterSeconds) });
  });
