/**
 * For measuring what @middy/core costs: the same onion (before in order, after and onError in reverse, onError may
 * set a response, else the error is rethrown), without middy's early-timeout race and streaming support.
 */
type Fn = (request: Request) => unknown;
interface Request {
  event: unknown;
  context: unknown;
  response: unknown;
  error: unknown;
  internal: Record<string, unknown>;
}
interface MiddlewareObj {
  before?: Fn;
  after?: Fn;
  onError?: Fn;
}

export default function middy() {
  const before: Fn[] = [];
  const after: Fn[] = [];
  const onError: Fn[] = [];
  let base: (event: unknown, context: unknown) => unknown = () => undefined;
  const handler = async (event: unknown, context: unknown) => {
    const request: Request = { event, context, response: undefined, error: undefined, internal: {} };
    try {
      for (const fn of before) await fn(request);
      request.response = await base(request.event, request.context);
      for (const fn of after) await fn(request);
      return request.response;
    } catch (error) {
      request.error = error;
      request.response = undefined;
      for (const fn of onError) await fn(request);
      if (request.response === undefined) throw request.error;
      return request.response;
    }
  };
  handler.use = (middlewares: MiddlewareObj | MiddlewareObj[]) => {
    for (const m of Array.isArray(middlewares) ? middlewares : [middlewares]) {
      if (m.before) before.push(m.before);
      if (m.after) after.unshift(m.after);
      if (m.onError) onError.unshift(m.onError);
    }
    return handler;
  };
  handler.handler = (fn: typeof base) => {
    base = fn;
    return handler;
  };
  return handler;
}
