/** For measuring what Powertools Metrics costs: the same surface, doing nothing. */
export const MetricUnit = { Count: 'Count' } as const;
export class Metrics {
  constructor(_options: unknown) {}
  addMetric(_name: string, _unit: string, _value: number): void {}
  addDimension(_name: string, _value: string): void {}
  publishStoredMetrics(): void {}
}
export function logMetrics(_metrics: unknown, _options?: unknown) {
  return { before: () => undefined };
}
