/**
 * API Gateway's own error responses (auth failures, validation, throttling, WAF, timeouts), rewritten into this API's
 * ErrorBody shape with the status from ERROR_CODES and CORS headers, so a browser sees the real error instead of an
 * opaque CORS failure, and clients branch on one `code` whether the error came from a handler or from the gateway.
 */
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { CORS_EXPOSE_HEADERS } from '../contract/cors';
import { ERROR_CODES, RETRY_AFTER_SECONDS, type ErrorCode } from '../contract/error-codes';
import { LivenessAuthorization } from './props';

interface GatewayError {
  readonly type: apigw.ResponseType;
  readonly code: ErrorCode;
  /** A fixed message, or a `$context` variable that API Gateway already renders as a quoted JSON string. */
  readonly message: string | { readonly quotedVariable: string };
}

/**
 * API Gateway answers MISSING_AUTHENTICATION_TOKEN both for an unknown route or method and, with IAM auth, for an
 * unsigned request to a real route; it cannot tell the two apart. Without IAM auth only the first can happen.
 */
function missingTokenError(authorization: LivenessAuthorization): GatewayError {
  return authorization === LivenessAuthorization.IAM
    ? {
        type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
        code: 'FORBIDDEN',
        message: 'The request is not signed, or there is no such route or method.',
      }
    : {
        type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
        code: 'NOT_FOUND',
        message: 'There is no such route or method.',
      };
}

export function gatewayErrors(authorization: LivenessAuthorization): GatewayError[] {
  return [
    // Fallbacks for types not listed below (API keys and usage plans are not used by this API).
    {
      type: apigw.ResponseType.DEFAULT_4XX,
      code: 'VALIDATION_ERROR',
      message: { quotedVariable: '$context.error.messageString' },
    },
    { type: apigw.ResponseType.DEFAULT_5XX, code: 'INTERNAL_ERROR', message: 'Internal error.' },
    {
      type: apigw.ResponseType.BAD_REQUEST_BODY,
      code: 'VALIDATION_ERROR',
      message: { quotedVariable: '$context.error.validationErrorString' },
    },
    {
      type: apigw.ResponseType.BAD_REQUEST_PARAMETERS,
      code: 'VALIDATION_ERROR',
      message: { quotedVariable: '$context.error.messageString' },
    },
    {
      type: apigw.ResponseType.REQUEST_TOO_LARGE,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is too large.',
    },
    {
      type: apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'The request body must be application/json.',
    },
    { type: apigw.ResponseType.UNAUTHORIZED, code: 'UNAUTHORIZED', message: 'Missing or invalid credentials.' },
    {
      type: apigw.ResponseType.INVALID_SIGNATURE,
      code: 'INVALID_SIGNATURE',
      message: 'The request signature is invalid: check the signing region and the client clock.',
    },
    {
      type: apigw.ResponseType.EXPIRED_TOKEN,
      code: 'CREDENTIALS_EXPIRED',
      message: 'The credentials have expired: get new ones and retry.',
    },
    missingTokenError(authorization),
    { type: apigw.ResponseType.ACCESS_DENIED, code: 'FORBIDDEN', message: 'The caller may not call this route.' },
    {
      type: apigw.ResponseType.WAF_FILTERED,
      code: 'FORBIDDEN',
      message: 'The request was blocked by the firewall (for example, too many requests from this address).',
    },
    { type: apigw.ResponseType.RESOURCE_NOT_FOUND, code: 'NOT_FOUND', message: 'There is no such route.' },
    {
      type: apigw.ResponseType.THROTTLED,
      code: 'THROTTLED',
      message: 'Too many requests: retry after the Retry-After delay.',
    },
    {
      type: apigw.ResponseType.QUOTA_EXCEEDED,
      code: 'THROTTLED',
      message: 'Too many requests: retry after the Retry-After delay.',
    },
    {
      type: apigw.ResponseType.INTEGRATION_TIMEOUT,
      code: 'UPSTREAM_TIMEOUT',
      message: 'The backend did not answer in time: retry.',
    },
    { type: apigw.ResponseType.INTEGRATION_FAILURE, code: 'INTERNAL_ERROR', message: 'Internal error.' },
    {
      type: apigw.ResponseType.API_CONFIGURATION_ERROR,
      code: 'BACKEND_MISCONFIGURED',
      message: 'The API is misconfigured.',
    },
    {
      type: apigw.ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
      code: 'BACKEND_MISCONFIGURED',
      message: 'The API authorizer is misconfigured.',
    },
    {
      type: apigw.ResponseType.AUTHORIZER_FAILURE,
      code: 'BACKEND_MISCONFIGURED',
      message: 'The API authorizer failed.',
    },
  ];
}

/** The ErrorBody JSON template. Gateway response templates only substitute variables (no VTL, no escaping functions). */
export function errorBodyTemplate(error: GatewayError): string {
  const message = typeof error.message === 'string' ? JSON.stringify(error.message) : error.message.quotedVariable;
  return `{"error":{"code":${JSON.stringify(error.code)},"message":${message},"requestId":"$context.requestId"}}`;
}

/**
 * The Access-Control-Allow-Origin value of gateway responses (a header mapping expression).
 *
 * One allowed origin: that origin, static. Several: gateway responses cannot branch, so the caller's own Origin header
 * is echoed. The trade-off, for the README: with several origins, API Gateway's error responses (never the handlers'
 * responses, which check the list themselves) are readable by any origin. They carry only an error code, a fixed
 * message and a request id, no data and no credentials (this API does not allow credentialed CORS requests), and a
 * browser on another origin still cannot send the signed or JSON requests, because the preflight checks the list.
 * The alternative, a static first origin, would make every other origin see an opaque CORS error instead of the real
 * one. '*' only when the operator configured '*'.
 */
export function gatewayAllowOrigin(allowedOrigins: readonly string[]): string {
  if (allowedOrigins.length === 1) return `'${allowedOrigins[0]}'`;
  return 'method.request.header.Origin';
}

export function addGatewayResponses(
  api: apigw.RestApi,
  authorization: LivenessAuthorization,
  allowedOrigins: readonly string[],
): void {
  const cors: Record<string, string> = { 'Access-Control-Allow-Origin': gatewayAllowOrigin(allowedOrigins) };
  if (!allowedOrigins.includes('*')) cors.Vary = "'Origin'";

  for (const error of gatewayErrors(authorization)) {
    const retryAfter = RETRY_AFTER_SECONDS[error.code];
    const headers =
      retryAfter === undefined
        ? cors
        : // Retry-After is not a CORS-safelisted response header: without Expose-Headers, browser code cannot read it.
          {
            ...cors,
            'Retry-After': `'${retryAfter}'`,
            'Access-Control-Expose-Headers': `'${CORS_EXPOSE_HEADERS.join(', ')}'`,
          };
    api.addGatewayResponse(error.type.responseType, {
      type: error.type,
      statusCode: String(ERROR_CODES[error.code].status),
      responseHeaders: headers,
      templates: { 'application/json': errorBodyTemplate(error) },
    });
  }
}
