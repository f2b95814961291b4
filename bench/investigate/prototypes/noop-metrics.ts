/**
 * PROTOTYPE (bench investigation): a Powertools Metrics that publishes nothing, for `@aws-lambda-powertools/metrics`
 * and its `/middleware`: the difference to the handler as is prices the library and its EMF lines.
 */
export const MetricUnit = { Count: 'Count' } as const;

export class Metrics {
  addMetric(_name: string, _unit: string, _value: number): void {}
  addDimension(_name: string, _value: string): void {}
  addDimensions(_dimensions: Record<string, string>): void {}
  captureColdStartMetric(_functionName?: string): void {}
  publishStoredMetrics(): void {}
}

export function logMetrics(_metrics: Metrics, _options?: unknown) {
  // middy refuses a middleware without a hook.
  return { before: () => undefined };
}
