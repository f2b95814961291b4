/**
 * PROTOTYPE (bench investigation): a Powertools Logger that writes nothing, for `@aws-lambda-powertools/logger` and
 * its `/middleware`: the difference to the handler as is prices the library and its lines.
 */
export class Logger {
  appendKeys(_keys: Record<string, unknown>): void {}
  resetKeys(): void {}
  addContext(_context: unknown): void {}
  createChild(_options?: unknown): Logger {
    return new Logger();
  }
  debug(_message: string, ..._extra: unknown[]): void {}
  info(_message: string, ..._extra: unknown[]): void {}
  warn(_message: string, ..._extra: unknown[]): void {}
  error(_message: string, ..._extra: unknown[]): void {}
}

export function injectLambdaContext(_logger: Logger, _options?: unknown) {
  // middy refuses a middleware without a hook.
  return { before: () => undefined };
}
