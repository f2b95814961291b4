/**
 * CloudWatch metrics as Embedded Metric Format lines on stdout: the subset of `@aws-lambda-powertools/metrics` this
 * project uses (counters, one dimension set per flush, the ColdStart metric), writing the lines Powertools writes.
 *
 * Why not Powertools Metrics itself: it costs each bundle 10.9 KB and each cold start ~9.5 M instructions (measured
 * by `npm run bench`), which alone put both handlers over their budgets for three counters. The logger is this
 * project's own for the same reason (./logger.ts).
 */
import { HANDLER_ENV } from '../../contract/handler-environment';

export const MetricUnit = { Count: 'Count' } as const;
export type MetricUnitValue = (typeof MetricUnit)[keyof typeof MetricUnit];

interface StoredMetric {
  readonly unit: MetricUnitValue;
  readonly values: number[];
}

export interface MetricsOptions {
  readonly serviceName: string;
  readonly namespace: string;
  /** Where EMF lines go. @default process.stdout */
  readonly write?: (line: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
  /**
   * Also publish each metric with the service dimension alone (a second EMF dimension set), so an alarm can watch the
   * total across the added dimensions: CloudWatch alarms cannot sum over a dimension they do not name. @default false
   */
  readonly serviceRollup?: boolean;
}

/** CloudWatch allows at most 30 dimensions per metric; service takes one. */
const MAX_DIMENSIONS = 29;

export class Metrics {
  readonly #namespace: string;
  readonly #service: string;
  readonly #write: (line: string) => void;
  readonly #now: () => number;
  readonly #serviceRollup: boolean;
  // Local runs and tests stay quiet with it (Powertools' own switch is POWERTOOLS_METRICS_DISABLED).
  readonly #disabled = process.env[HANDLER_ENV.METRICS_DISABLED] === 'true';
  #coldStart = true;
  #metrics = new Map<string, StoredMetric>();
  #dimensions: Record<string, string> = {};

  constructor(options: MetricsOptions) {
    this.#service = options.serviceName;
    this.#namespace = options.namespace;
    this.#write = options.write ?? ((line) => process.stdout.write(line));
    this.#now = options.now ?? Date.now;
    this.#serviceRollup = options.serviceRollup === true;
  }

  addMetric(name: string, unit: MetricUnitValue, value: number): void {
    const metric = this.#metrics.get(name);
    if (metric) metric.values.push(value);
    else this.#metrics.set(name, { unit, values: [value] });
  }

  /** A dimension for every metric of this flush (Powertools semantics: cleared after each flush). */
  addDimension(name: string, value: string): void {
    if (name in this.#dimensions || Object.keys(this.#dimensions).length < MAX_DIMENSIONS)
      this.#dimensions[name] = value;
  }

  /** Emits ColdStart once per execution environment, on its own line with only a function_name dimension. */
  captureColdStartMetric(functionName?: string): void {
    if (!this.#coldStart) return;
    this.#coldStart = false;
    this.#emit(
      new Map([['ColdStart', { unit: MetricUnit.Count, values: [1] }]]),
      functionName ? { function_name: functionName } : {},
    );
  }

  publishStoredMetrics(): void {
    if (this.#metrics.size > 0) this.#emit(this.#metrics, this.#dimensions);
    this.#metrics = new Map();
    this.#dimensions = {};
  }

  #emit(metrics: ReadonlyMap<string, StoredMetric>, dimensions: Readonly<Record<string, string>>): void {
    if (this.#disabled) return;
    const added = Object.keys(dimensions);
    const dimensionSets = [['service', ...added], ...(this.#serviceRollup && added.length > 0 ? [['service']] : [])];
    const line: Record<string, unknown> = {
      _aws: {
        Timestamp: this.#now(),
        CloudWatchMetrics: [
          {
            Namespace: this.#namespace,
            Dimensions: dimensionSets,
            Metrics: [...metrics].map(([Name, m]) => ({ Name, Unit: m.unit })),
          },
        ],
      },
      service: this.#service,
      ...dimensions,
    };
    for (const [name, m] of metrics) line[name] = m.values.length === 1 ? m.values[0] : m.values;
    this.#write(`${JSON.stringify(line)}\n`);
  }
}

interface MiddyRequest {
  readonly context?: { readonly functionName?: string };
}

/** The middy middleware: the cold-start metric first, then one flush after the handler, on success and on error. */
export function logMetrics(metrics: Metrics, options: { readonly captureColdStartMetric?: boolean } = {}) {
  return {
    before: (request: MiddyRequest) => {
      if (options.captureColdStartMetric === true) metrics.captureColdStartMetric(request.context?.functionName);
    },
    after: () => metrics.publishStoredMetrics(),
    onError: () => metrics.publishStoredMetrics(),
  };
}
