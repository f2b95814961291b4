/** POST /sessions. Wiring only: the work is in ./core. */
import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { handlerDependencies } from '../shared/clients';
import { jsonResponse, type HttpResponse } from '../shared/http';
import { callerOf } from '../shared/identity';
import { jsonBody, type JsonEvent } from '../shared/json-body';
import { httpMiddleware } from '../shared/middleware';
import { telemetry } from '../shared/observability';
import { createSession, parseCreateSessionRequest } from './core';

export const handler = middy<APIGatewayProxyEvent, HttpResponse>()
  .use(httpMiddleware())
  .use(jsonBody)
  .handler(async (event: JsonEvent) => {
    const { config, rekognition, sessions, identityRecords } = handlerDependencies();
    const input = parseCreateSessionRequest(event.body, { identity: config.identity !== undefined });
    const { ref } = callerOf(event.requestContext, config.authMode, config.ownerRefKey);
    telemetry.owner(ref);
    const session = await createSession(input, ref, {
      rekognition,
      sessions,
      config,
      now: Date.now,
      newToken: randomUUID,
      telemetry,
      ...(config.identity !== undefined && { identityChecks: identityRecords }),
    });
    return jsonResponse(201, session);
  });
