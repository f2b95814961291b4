/**
 * PROTOTYPE (bench investigation): the part of `@aws-lambda-powertools/logger` this project uses, as one small
 * module: JSON lines with the same keys in the same order as Powertools (level, message, timestamp, service,
 * cold_start, function_arn, function_memory_size, function_name, function_request_id, sampling_rate, xray_trace_id,
 * then appended keys, then the call's attributes), POWERTOOLS_LOG_LEVEL / AWS_LAMBDA_LOG_LEVEL, errors as
 * { name, location, message, stack, cause }. Candidate for lambda/commons/logger.ts.
 */
const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type Level = keyof typeof LEVELS;

interface LambdaContext {
  functionName?: string;
  invokedFunctionArn?: string;
  memoryLimitInMB?: string | number;
  awsRequestId?: string;
}

function levelOf(raw: string | undefined): number {
  const name = (raw ?? '').trim().toUpperCase();
  return name in LEVELS ? LEVELS[name as Level] : LEVELS.INFO;
}

function serialize(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const at = /\(([^)]+)\)/.exec(value.stack?.split('\n')[1] ?? '');
  return {
    name: value.name,
    location: at?.[1] ?? '',
    message: value.message,
    stack: value.stack,
    ...(value.cause !== undefined && { cause: serialize(value.cause) }),
  };
}

const replacer = (_key: string, value: unknown) => (value instanceof Error ? serialize(value) : typeof value === 'bigint' ? value.toString() : value);

export class Logger {
  readonly #service: string;
  readonly #level = levelOf(process.env.AWS_LAMBDA_LOG_LEVEL ?? process.env.POWERTOOLS_LOG_LEVEL);
  #coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE === 'on-demand';
  #context: Record<string, unknown> = {};
  #keys: Record<string, unknown> = {};

  constructor({ serviceName }: { serviceName: string }) {
    this.#service = serviceName;
  }

  appendKeys(keys: Record<string, unknown>): void {
    Object.assign(this.#keys, keys);
  }

  resetKeys(): void {
    this.#keys = {};
  }

  addContext(context: LambdaContext): void {
    const coldStart = this.#coldStart;
    this.#coldStart = false;
    this.#context = {
      cold_start: coldStart,
      function_arn: context.invokedFunctionArn,
      function_memory_size: context.memoryLimitInMB,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
  }

  debug(message: string, attributes?: Record<string, unknown>): void {
    this.#log('DEBUG', message, attributes);
  }
  info(message: string, attributes?: Record<string, unknown>): void {
    this.#log('INFO', message, attributes);
  }
  warn(message: string, attributes?: Record<string, unknown>): void {
    this.#log('WARN', message, attributes);
  }
  error(message: string, attributes?: Record<string, unknown>): void {
    this.#log('ERROR', message, attributes);
  }

  #log(level: Level, message: string, attributes: Record<string, unknown> | undefined): void {
    if (LEVELS[level] < this.#level) return;
    const trace = process.env._X_AMZN_TRACE_ID?.split(';')[0]?.replace('Root=', '');
    const item = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.#service,
      ...this.#context,
      sampling_rate: 0,
      ...(trace && { xray_trace_id: trace }),
      ...this.#keys,
      ...attributes,
    };
    const line = `${JSON.stringify(item, replacer)}\n`;
    if (level === 'WARN' || level === 'ERROR') process.stderr.write(line);
    else process.stdout.write(line);
  }
}

/** The `injectLambdaContext` middleware: context keys before the handler, appended keys cleared after it. */
export function injectLambdaContext(logger: Logger, options: { resetKeys?: boolean; logEvent?: boolean } = {}) {
  const reset = () => {
    if (options.resetKeys === true) logger.resetKeys();
  };
  return {
    before: (request: { context: LambdaContext }) => logger.addContext(request.context),
    after: reset,
    onError: reset,
  };
}
