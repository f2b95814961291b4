/**
 * PROTOTYPE (bench investigation): the part of `@aws-lambda-powertools/metrics` this project uses, as one small
 * module writing CloudWatch Embedded Metric Format lines to stdout, the same lines Powertools writes (same keys,
 * service dimension, ColdStart metric on the first on-demand invocation with a function_name dimension, dimensions
 * cleared after each flush, POWERTOOLS_METRICS_DISABLED honoured). Candidate for lambda/commons/metrics.ts.
 */
export const MetricUnit = { Count: 'Count' } as const;
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

interface Middy {
  context: { functionName?: string };
}

export class Metrics {
  readonly #namespace: string;
  readonly #service: string;
  readonly #disabled = process.env.POWERTOOLS_METRICS_DISABLED === 'true';
  #coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE === 'on-demand';
  #metrics = new Map<string, { unit: Unit; values: number[] }>();
  #dimensions: Record<string, string> = {};

  constructor({ serviceName, namespace }: { serviceName: string; namespace: string }) {
    this.#service = serviceName;
    this.#namespace = namespace;
  }

  addMetric(name: string, unit: Unit, value: number): void {
    const metric = this.#metrics.get(name);
    if (metric) metric.values.push(value);
    else this.#metrics.set(name, { unit, values: [value] });
  }

  addDimension(name: string, value: string): void {
    this.#dimensions[name] = value;
  }

  captureColdStartMetric(functionName?: string): void {
    if (!this.#coldStart) return;
    this.#coldStart = false;
    const dimensions: Record<string, string> = functionName ? { function_name: functionName } : {};
    this.#write({ ColdStart: { unit: MetricUnit.Count, values: [1] } }, dimensions);
  }

  publishStoredMetrics(): void {
    if (this.#metrics.size > 0) this.#write(Object.fromEntries(this.#metrics), this.#dimensions);
    this.#metrics = new Map();
    this.#dimensions = {};
  }

  #write(metrics: Record<string, { unit: Unit; values: number[] }>, dimensions: Record<string, string>): void {
    if (this.#disabled) return;
    const emf: Record<string, unknown> = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [{
          Namespace: this.#namespace,
          Dimensions: [['service', ...Object.keys(dimensions)]],
          Metrics: Object.entries(metrics).map(([Name, m]) => ({ Name, Unit: m.unit })),
        }],
      },
      service: this.#service,
      ...dimensions,
    };
    for (const [name, m] of Object.entries(metrics)) emf[name] = m.values.length === 1 ? m.values[0] : m.values;
    process.stdout.write(`${JSON.stringify(emf)}\n`);
  }
}

/** The `logMetrics` middleware: cold-start metric first, then one flush after the handler, success or error. */
export function logMetrics(metrics: Metrics, options: { captureColdStartMetric?: boolean } = {}) {
  return {
    before: (request: Middy) => {
      if (options.captureColdStartMetric === true) metrics.captureColdStartMetric(request.context.functionName);
    },
    after: () => metrics.publishStoredMetrics(),
    onError: () => metrics.publishStoredMetrics(),
  };
}
