/**
 * The shared middy stack: logging context, metrics, configuration check, the JSON body parser and the one error
 * handler. Order matters: middy runs `onError` in reverse, so the error handler answers (and counts the error)
 * before metrics are flushed and the logger's keys are reset.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { MAX_CREATE_BODY_BYTES } from '../../common/limits';
import { toApiError } from './aws-errors';
import { runtime } from './clients';
import { CONFIG_STATE } from './config';
import { ApiError } from './errors';
import { errorResponse, getHeader, withCommonHeaders, type HttpResponse } from './http';
import { countError, logger, metrics } from './observability';

/** The event after the body parser: `body` is the parsed JSON, or undefined when the request had no body. */
export type JsonEvent = Omit<APIGatewayProxyEvent, 'body'> & { body: unknown };

type Middleware = middy.MiddlewareObj<APIGatewayProxyEvent, HttpResponse>;

// With a broken ALLOWED_ORIGINS no origin is trusted: the browser then shows a CORS error, which is the safe side.
const ALLOWED_ORIGINS: readonly string[] = CONFIG_STATE.ok ? CONFIG_STATE.config.allowedOrigins : (CONFIG_STATE.allowedOrigins ?? []);

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

// What API Gateway and Lambda use (UUIDs); anything else is not put into a header or a body.
const REQUEST_ID = /^[\w-]{1,128}$/;

function requestIdOf(event: Partial<APIGatewayProxyEvent> | undefined, context: Partial<Context> | undefined): string {
  // API Gateway's id is the one its own error responses and access logs carry, so clients quote a single id.
  const fromGateway = event?.requestContext?.requestId;
  if (typeof fromGateway === 'string' && REQUEST_ID.test(fromGateway)) return fromGateway;
  return typeof context?.awsRequestId === 'string' && REQUEST_ID.test(context.awsRequestId) ? context.awsRequestId : 'unknown';
}

const requestContext: Middleware = {
  before: ({ event, context }) => {
    logger.appendKeys({ requestId: requestIdOf(event, context) });
    runtime();
  },
};

const responseHeaders: Middleware = {
  after: (request) => {
    if (request.response) {
      request.response = withCommonHeaders(request.response, getHeader(request.event?.headers, 'Origin'), ALLOWED_ORIGINS, requestIdOf(request.event, request.context));
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

// disableContentTypeCheck is documented and implemented in v6 but missing from its type definitions. Our own check
// runs first because the parser's is case-sensitive on the header name and does not tell 415 from bad JSON.
const parser = httpJsonBodyParser({ disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0]);

/**
 * Size and content-type checks with our own status codes, then middy's parser for the JSON itself. An absent or empty
 * body is allowed (every field of the create request is optional) and skips both checks.
 */
const jsonBody: Middleware = {
  before: async (request) => {
    const { body, isBase64Encoded } = request.event as { body: unknown; isBase64Encoded?: unknown };
    if (body === undefined || body === null || body === '') {
      (request.event as JsonEvent).body = undefined;
      return;
    }
    if (typeof body !== 'string') throw new ApiError('MALFORMED_JSON');
    const bytes = isBase64Encoded === true ? Buffer.from(body, 'base64').length : Buffer.byteLength(body, 'utf8');
    if (bytes > MAX_CREATE_BODY_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE');
    const contentType = getHeader(request.event.headers, 'Content-Type');
    if (typeof contentType !== 'string' || !JSON_CONTENT_TYPE.test(contentType)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE');
    try {
      await parser.before?.(request);
    } catch (cause) {
      // middy answers 415 (v6) or 422 (v7) here; this API documents 400 MALFORMED_JSON.
      throw new ApiError('MALFORMED_JSON', undefined, { cause });
    }
  },
};

/** The stack every route uses; `jsonBody` only for routes that take a body. */
export function httpStack(options: { readonly jsonBody?: boolean } = {}): Middleware[] {
  return [
    // Never log the event: its headers carry SigV4 signatures and Cognito tokens.
    injectLambdaContext(logger, { resetKeys: true, logEvent: false }) as Middleware,
    logMetrics(metrics, { captureColdStartMetric: true }) as Middleware,
    responseHeaders,
    requestContext,
    ...(options.jsonBody === true ? [jsonBody] : []),
  ];
}
