/** For measuring what Powertools Logger costs: the same surface, doing nothing. */
export class Logger {
  constructor(_options: unknown) {}
  appendKeys(_keys: unknown): void {}
  resetKeys(): void {}
  addContext(_context: unknown): void {}
  debug(_message: string, _attributes?: unknown): void {}
  info(_message: string, _attributes?: unknown): void {}
  warn(_message: string, _attributes?: unknown): void {}
  error(_message: string, _attributes?: unknown): void {}
}
export function injectLambdaContext(_logger: unknown, _options?: unknown) {
  return { before: () => undefined };
}
