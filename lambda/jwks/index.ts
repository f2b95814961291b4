/**
 * GET /.well-known/jwks.json. Wiring only: the work is in ./core. Unauthenticated (verifiers are other services) and
 * cacheable; the public key is fetched from KMS once per cold start, and again only after a failure.
 *
 * Its own configuration (./config) and middleware: it imports nothing that builds the other functions' clients or
 * reads their settings, and its responses carry no CORS headers (verifiers are servers, not browser pages).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { KMSClient } from '@aws-sdk/client-kms';
import { JWKS_MAX_AGE_SECONDS } from '../../contract/attestation';
import { toApiError } from '../shared/api-error-mapping';
import { ApiError } from '../shared/errors';
import { errorResponse, jsonResponse, withCommonHeaders, type HttpResponse } from '../shared/http';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Middleware } from '../shared/middleware';
import { countError, logger, metrics } from '../shared/observability';
import { sdkClientOptions } from '../shared/sdk-options';
import { JWKS_CONFIG_STATE } from './config';
import { jwkSet, type JwkSet } from './core';

const config = JWKS_CONFIG_STATE.ok ? JWKS_CONFIG_STATE.config : undefined;
const kms = config !== undefined ? new KMSClient(sdkClientOptions(config, config.kmsEndpoint)) : undefined;
let keys: Promise<JwkSet> | undefined;

const REQUEST_ID = /^[\w-]{1,128}$/;
const requestIdOf = (event: Partial<APIGatewayProxyEvent> | undefined): string => {
  const id = event?.requestContext?.requestId;
  return typeof id === 'string' && REQUEST_ID.test(id) ? id : 'unknown';
};

// No allowed origins: no Access-Control-Allow-Origin on any answer.
const NO_ORIGINS: readonly string[] = [];

const responses: Middleware = {
  after: (request) => {
    if (request.response)
      request.response = withCommonHeaders(request.response, undefined, NO_ORIGINS, requestIdOf(request.event));
  },
  onError: (request) => {
    const error = toApiError(request.error);
    countError(error.code);
    logger.error('Request failed', {
      code: error.code,
      statusCode: error.statusCode,
      ...(error.detail !== undefined && { detail: error.detail }),
      ...(error.code === 'INTERNAL_ERROR' && { error: error.cause ?? error }),
    });
    const requestId = requestIdOf(request.event);
    request.response = withCommonHeaders(errorResponse(error, requestId), undefined, NO_ORIGINS, requestId);
  },
};

export const handler = middy<APIGatewayProxyEvent, HttpResponse>()
  // Never log the event: anyone may call this route, with any headers.
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }) as Middleware)
  .use(logMetrics(metrics, { captureColdStartMetric: true }) as Middleware)
  .use(responses)
  .handler(async () => {
    if (kms === undefined || config === undefined) {
      throw new ApiError('BACKEND_MISCONFIGURED', undefined, {
        detail: JWKS_CONFIG_STATE.ok ? 'No attestation key configured' : JWKS_CONFIG_STATE.problems.join('; '),
      });
    }
    keys ??= jwkSet(kms, config.keyId).catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return jsonResponse(200, await keys, { 'Cache-Control': `public, max-age=${JWKS_MAX_AGE_SECONDS}` });
  });
