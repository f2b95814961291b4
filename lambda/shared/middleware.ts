/**
 * The shared middy stack: logging context, metrics, configuration check, the JSON body parser and the one error
 * handler. Order matters: middy runs `onError` in reverse, so the error handler answers (and counts the error)
 * before metrics are flushed and the logger's keys are reset.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { toApiError } from './api-error-mapping';
import { handlerDependencies } from './clients';
import { CONFIG_STATE } from './config';
import { errorResponse, getHeader, withCommonHeaders, type HttpResponse } from './http';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { countError, logger, metrics } from './observability';

export type Middleware = middy.MiddlewareObj<APIGatewayProxyEvent, HttpResponse>;

// With a broken ALLOWED_ORIGINS no origin is trusted: the browser then shows a CORS error, which is the safe side.
const ALLOWED_ORIGINS: readonly string[] = CONFIG_STATE.ok
  ? CONFIG_STATE.config.allowedOrigins
  : (CONFIG_STATE.allowedOrigins ?? []);

// What API Gateway and Lambda use (UUIDs); anything else is not put into a header or a body.
const REQUEST_ID = /^[\w-]{1,128}$/;

function requestIdOf(event: Partial<APIGatewayProxyEvent> | undefined, context: Partial<Context> | undefined): string {
  // API Gateway's id is the one its own error responses and access logs carry, so clients quote a single id.
  const fromGateway = event?.requestContext?.requestId;
  if (typeof fromGateway === 'string' && REQUEST_ID.test(fromGateway)) return fromGateway;
  return typeof context?.awsRequestId === 'string' && REQUEST_ID.test(context.awsRequestId)
    ? context.awsRequestId
    : 'unknown';
}

const requestContext: Middleware = {
  before: ({ event, context }) => {
    logger.appendKeys({ requestId: requestIdOf(event, context) });
    handlerDependencies();
  },
};

const responseHeaders: Middleware = {
  after: (request) => {
    if (request.response) {
      request.response = withCommonHeaders(
        request.response,
        getHeader(request.event?.headers, 'Origin'),
        ALLOWED_ORIGINS,
        requestIdOf(request.event, request.context),
      );
    }
  },
  onError: (request) => {
    const error = toApiError(request.error);
    countError(error.code);
    const attributes = {
      code: error.code,
      statusCode: error.statusCode,
      // The caller-facing text is safe to log and says which rule a rejected request broke.
      errorMessage: error.message,
      ...(error.detail !== undefined && { detail: error.detail }),
    };
    if (error.code === 'INTERNAL_ERROR') logger.error('Request failed', { ...attributes, error: error.cause ?? error });
    else if (error.statusCode >= 500) logger.error('Request failed', attributes);
    else logger.warn('Request rejected', attributes);
    const origin = getHeader(request.event?.headers, 'Origin');
    const requestId = requestIdOf(request.event, request.context);
    request.response = withCommonHeaders(errorResponse(error, requestId), origin, ALLOWED_ORIGINS, requestId);
  },
};

/** The stack every route uses; a route that takes a body adds `jsonBody` (./json-body) after it. */
export function httpMiddleware(): Middleware[] {
  return [
    // Never log the event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: its headers carry SigV4 signatures and Cognito
    // tokens, and its request context the caller's identity id.
    injectLambdaContext(logger, { resetKeys: true, logEvent: false }) as Middleware,
    logMetrics(metrics, { captureColdStartMetric: true }) as Middleware,
    responseHeaders,
    requestContext,
  ];
}
