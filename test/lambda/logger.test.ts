import { HANDLER_ENV } from '../../contract/handler-environment';
import { Logger, injectLambdaContext } from '../../lambda/shared/logger';

function capture() {
  const lines: { level: string; record: Record<string, unknown> }[] = [];
  return {
    lines,
    write: (level: string, line: string) => lines.push({ level, record: JSON.parse(line) as Record<string, unknown> }),
  };
}

const CONTEXT = {
  functionName: 'fn',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
};

describe('structured logger (Powertools line format)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('writes Powertools keys in Powertools order, then appended keys, then the attributes', () => {
    // GIVEN a logger with the Lambda context and an appended key
    process.env[HANDLER_ENV.LOG_LEVEL] = 'INFO';
    const out = capture();
    const logger = new Logger({ serviceName: 'svc', write: out.write });
    logger.addContext(CONTEXT);
    logger.appendKeys({ requestId: 'r' });
    // WHEN
    logger.info('Session created', { status: 'CREATED' });
    // THEN
    expect(Object.keys(out.lines[0]!.record)).toEqual([
      'level',
      'message',
      'timestamp',
      'service',
      'cold_start',
      'function_arn',
      'function_memory_size',
      'function_name',
      'function_request_id',
      'sampling_rate',
      'requestId',
      'status',
    ]);
    expect(out.lines[0]!.record).toMatchObject({
      level: 'INFO',
      message: 'Session created',
      service: 'svc',
      cold_start: true,
      function_request_id: 'req-1',
    });
  });

  it('reports cold_start true only on the first invocation', () => {
    const out = capture();
    const logger = new Logger({ serviceName: 'svc', write: out.write });
    logger.addContext(CONTEXT);
    logger.info('a');
    logger.addContext({ ...CONTEXT, awsRequestId: 'req-2' });
    logger.info('b');
    expect(out.lines.map((l) => l.record.cold_start)).toEqual([true, false]);
  });

  it('drops lines below LOG_LEVEL, and AWS_LAMBDA_LOG_LEVEL wins over it', () => {
    process.env[HANDLER_ENV.LOG_LEVEL] = 'WARN';
    const out = capture();
    const logger = new Logger({ serviceName: 'svc', write: out.write });
    logger.info('hidden');
    logger.warn('shown');
    process.env.AWS_LAMBDA_LOG_LEVEL = 'ERROR';
    const strict = new Logger({ serviceName: 'svc', write: out.write });
    strict.warn('hidden too');
    strict.error('shown too');
    expect(out.lines.map((l) => l.record.message)).toEqual(['shown', 'shown too']);
  });

  it('serializes errors with name, location, message, stack and cause', () => {
    const out = capture();
    const logger = new Logger({ serviceName: 'svc', write: out.write });
    logger.error('Request failed', { error: new Error('outer', { cause: new TypeError('inner') }) });
    const error = out.lines[0]!.record.error as Record<string, any>;
    expect(error).toMatchObject({ name: 'Error', message: 'outer', cause: { name: 'TypeError', message: 'inner' } });
    expect(error.location).toMatch(/logger\.test\.ts:\d+/);
    expect(out.lines[0]!.level).toBe('ERROR');
  });

  it('adds the X-Ray trace id when Lambda provides one', () => {
    process.env._X_AMZN_TRACE_ID = 'Root=1-abc-def;Parent=1;Sampled=1';
    const out = capture();
    new Logger({ serviceName: 'svc', write: out.write }).info('x');
    expect(out.lines[0]!.record.xray_trace_id).toBe('1-abc-def');
  });

  it('the middleware adds the context before the handler and clears appended keys after it, also on error', () => {
    const out = capture();
    const logger = new Logger({ serviceName: 'svc', write: out.write });
    const middleware = injectLambdaContext(logger, { resetKeys: true });
    middleware.before({ context: CONTEXT });
    logger.appendKeys({ sessionId: 's-1' });
    middleware.onError();
    logger.info('after');
    expect(out.lines[0]!.record.sessionId).toBeUndefined();
    expect(out.lines[0]!.record.function_name).toBe('fn');
  });
});
