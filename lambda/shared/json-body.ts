/**
 * JSON request bodies, for the routes that take one: size and content-type checks with this API's own status codes,
 * then middy's parser for the JSON itself. Its own module, so a route without a body does not bundle the parser.
 */
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { MAX_CREATE_BODY_BYTES } from '../../contract/liveness-model';
import { ApiError } from './errors';
import { getHeader } from './http';
import type { Middleware } from './middleware';

/** The event after the body parser: `body` is the parsed JSON, or undefined when the request had no body. */
export type JsonEvent = Omit<APIGatewayProxyEvent, 'body'> & { body: unknown };

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

// disableContentTypeCheck is documented and implemented in v6 but missing from its type definitions. Our own check
// runs first because the parser's is case-sensitive on the header name and does not tell 415 from bad JSON.
const parser = httpJsonBodyParser({ disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0]);

/**
 * Size and content-type checks with our own status codes, then middy's parser for the JSON itself. An absent or empty
 * body is allowed (every field of the create request is optional) and skips both checks.
 */
export const jsonBody: Middleware = jsonBodyUpTo(MAX_CREATE_BODY_BYTES);

/** The same checks with another size limit (the identity function's, whose body may carry a photo). */
export function jsonBodyUpTo(maxBytes: number): Middleware {
  return {
    before: async (request) => {
      const { body, isBase64Encoded } = request.event as { body: unknown; isBase64Encoded?: unknown };
      if (body === undefined || body === null || body === '') {
        (request.event as JsonEvent).body = undefined;
        return;
      }
      if (typeof body !== 'string') throw new ApiError('MALFORMED_JSON');
      const bytes = isBase64Encoded === true ? Buffer.from(body, 'base64').length : Buffer.byteLength(body, 'utf8');
      if (bytes > maxBytes)
        throw new ApiError(
          'PAYLOAD_TOO_LARGE',
          maxBytes === MAX_CREATE_BODY_BYTES ? undefined : `The request body is larger than ${maxBytes} bytes.`,
        );
      const contentType = getHeader(request.event.headers, 'Content-Type');
      if (typeof contentType !== 'string' || !JSON_CONTENT_TYPE.test(contentType))
        throw new ApiError('UNSUPPORTED_MEDIA_TYPE');
      try {
        await parser.before?.(request);
      } catch (cause) {
        // middy answers 415 (v6) or 422 (v7) here; this API documents 400 MALFORMED_JSON.
        throw new ApiError('MALFORMED_JSON', undefined, { cause });
      }
    },
  };
}
