/** GET /sessions/{sessionId}/result. Wiring only: the work is in ./core. */
import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { presignImage, runtime } from '../commons/clients';
import { jsonResponse, type HttpResponse } from '../commons/http';
import { httpStack } from '../commons/middleware';
import { telemetry } from '../commons/observability';
import { getResult, parseSessionId } from './core';

export const handler = middy<APIGatewayProxyEvent, HttpResponse>()
  .use(httpStack())
  .handler(async (event) => {
    const { config, rekognition } = runtime();
    const sessionId = parseSessionId(event.pathParameters);
    const result = await getResult(sessionId, { rekognition, config, presign: presignImage(config, rekognition), telemetry });
    // Pending: tell the poller when to ask again.
    return jsonResponse(200, result, result.done ? {} : { 'Retry-After': String(config.pollRetryAfterSeconds) });
  });
