/**
 * Structured JSON logs: the subset of `@aws-lambda-powertools/logger` this project uses, writing the lines Powertools
 * writes (level, message, timestamp, service, cold_start, function_arn, function_memory_size, function_name,
 * function_request_id, sampling_rate, xray_trace_id, then appended keys, then the call's attributes), honouring
 * LOG_LEVEL (our own variable, where Powertools reads POWERTOOLS_LOG_LEVEL) and AWS_LAMBDA_LOG_LEVEL, errors as { name, location, message, stack, cause }. Logs Insights
 * queries written for Powertools work unchanged.
 *
 * Why not Powertools Logger itself: `npm run bench` measured it at 16.8 KB of each bundle and ~12 M instructions of
 * each cold start, which alone kept both handlers over the cold-start budget (≤ 1.10× a bare twin).
 */
import { HANDLER_ENV } from '../../contract/handler-environment';

const LEVELS = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, SILENT: 28 } as const;
type Level = Exclude<keyof typeof LEVELS, 'SILENT'>;

export interface LambdaContextLike {
  readonly functionName?: string;
  readonly invokedFunctionArn?: string;
  readonly memoryLimitInMB?: string | number;
  readonly awsRequestId?: string;
}

export interface LoggerOptions {
  readonly serviceName: string;
  /** @default the stdout/stderr writers Powertools uses (WARN and ERROR to stderr) */
  readonly write?: (level: Level, line: string) => void;
}

function levelOf(raw: string | undefined): number {
  const name = (raw ?? '').trim().toUpperCase();
  return name in LEVELS ? LEVELS[name as keyof typeof LEVELS] : LEVELS.INFO;
}

function serializeError(error: Error): Record<string, unknown> {
  const at = /\(([^)]+)\)/.exec(error.stack?.split('\n')[1] ?? '');
  return {
    name: error.name,
    location: at?.[1] ?? '',
    message: error.message,
    stack: error.stack,
    ...(error.cause !== undefined && {
      cause: error.cause instanceof Error ? serializeError(error.cause) : error.cause,
    }),
  };
}

const replacer = (_key: string, value: unknown): unknown =>
  value instanceof Error ? serializeError(value) : typeof value === 'bigint' ? value.toString() : value;

const defaultWrite = (level: Level, line: string): void => {
  if (level === 'WARN' || level === 'ERROR') process.stderr.write(line);
  else process.stdout.write(line);
};

export class Logger {
  readonly #service: string;
  readonly #write: (level: Level, line: string) => void;
  // Lambda's own log-level control wins over ours, as it wins over Powertools' in Powertools.
  readonly #level = levelOf(process.env.AWS_LAMBDA_LOG_LEVEL ?? process.env[HANDLER_ENV.LOG_LEVEL]);
  #coldStart = true;
  #context: Record<string, unknown> = {};
  #keys: Record<string, unknown> = {};

  constructor(options: LoggerOptions) {
    this.#service = options.serviceName;
    this.#write = options.write ?? defaultWrite;
  }

  /** Keys added to every later line until resetKeys(). */
  appendKeys(keys: Record<string, unknown>): void {
    Object.assign(this.#keys, keys);
  }

  resetKeys(): void {
    this.#keys = {};
  }

  addContext(context: LambdaContextLike): void {
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
    const record = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.#service,
      ...this.#context,
      sampling_rate: 0,
      ...(trace ? { xray_trace_id: trace } : {}),
      ...this.#keys,
      ...attributes,
    };
    this.#write(level, `${JSON.stringify(record, replacer)}\n`);
  }
}

/** The middy middleware: Lambda context keys before the handler, appended keys cleared after it (never logs the event). */
export function injectLambdaContext(logger: Logger, options: { readonly resetKeys?: boolean } = {}) {
  const reset = (): void => {
    if (options.resetKeys === true) logger.resetKeys();
  };
  return {
    before: (request: { readonly context: LambdaContextLike }) => logger.addContext(request.context),
    after: reset,
    onError: reset,
  };
}
