/**
 * PROTOTYPE (bench investigation): what `@middy/http-json-body-parser` still does here once lambda/shared/middleware.ts
 * has checked size and content type: JSON.parse (base64-aware). Its errors become MALFORMED_JSON there anyway.
 */
export default function httpJsonBodyParser(_options?: unknown) {
  return {
    before: (request: { event: { body: unknown; isBase64Encoded?: boolean } }) => {
      const { body, isBase64Encoded } = request.event;
      if (typeof body !== 'string') throw new SyntaxError('body is not a string');
      request.event.body = JSON.parse(isBase64Encoded === true ? Buffer.from(body, 'base64').toString() : body);
    },
  };
}
