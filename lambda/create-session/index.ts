/** POST /sessions. Wiring only: the work is in ./core. */
import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { runtime } from '../commons/clients';
import { jsonResponse, type HttpResponse } from '../commons/http';
import { ownerOf, ownerRef } from '../commons/identity';
import { jsonBody, type JsonEvent } from '../commons/json-body';
import { httpStack } from '../commons/middleware';
import { telemetry } from '../commons/observability';
import { createSession, parseCreateSessionRequest } from './core';

export const handler = middy<APIGatewayProxyEvent, HttpResponse>()
  .use(httpStack())
  .use(jsonBody)
  .handler(async (event: JsonEvent) => {
    const { config, rekognition, sessions } = runtime();
    const input = parseCreateSessionRequest(event.body);
    const owner = ownerOf(event.requestContext, config.authMode);
    telemetry.owner(ownerRef(owner, config.ownerRefKey));
    const session = await createSession(input, owner, { rekognition, sessions, config, now: Date.now, newToken: randomUUID, telemetry });
    return jsonResponse(201, session);
  });
