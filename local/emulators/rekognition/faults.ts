/**
 * Fault injection for the AWS side (every operation, liveness and face matching): a share of calls answered with ThrottlingException or InternalServerError, added
 * latency, and a deterministic queue ("the next N calls fail with X"). Shares draw from a seeded generator, so a test
 * that sets a seed sees the same sequence every run.
 */
import { AwsError, FAULT_ERRORS, FAULT_MESSAGES, type FaultErrorName } from './service-errors';
import { ControlError } from './outcomes';
import { seededRandom } from '../../seeded-random';
import { EMULATED_OPERATIONS, type EmulatedOperation } from './operations';

export { LIVENESS_OPERATIONS, type LivenessOperation } from './operations';

export interface OperationFaults {
  /** Share 0..1 of calls answered with ThrottlingException (HTTP 500). @default 0 */
  readonly throttlingRate?: number;
  /** Share 0..1 of calls answered with InternalServerError (HTTP 500). @default 0 */
  readonly internalErrorRate?: number;
  /** Milliseconds added before answering. @default 0 */
  readonly latencyMs?: number;
}

export interface FaultSettings extends OperationFaults {
  /** Seed of the generator behind the shares. @default 1 */
  readonly seed?: number;
  /** Per-operation settings; each field overrides the top-level one for that operation. */
  readonly operations?: Partial<Record<EmulatedOperation, OperationFaults>>;
}

export interface FailNextOptions {
  /** How many calls fail. @default 1 */
  readonly count?: number;
  /** Only calls of this operation fail (and count). @default any operation */
  readonly operation?: EmulatedOperation;
}

interface QueuedFault {
  readonly error: FaultErrorName;
  remaining: number;
  readonly operation?: EmulatedOperation;
}

export interface FaultDecision {
  readonly latencyMs: number;
  readonly error?: AwsError;
}

export class FaultInjector {
  private settings: FaultSettings = {};
  private random = seededRandom(1);
  private queue: QueuedFault[] = [];

  get(): { settings: FaultSettings; queued: readonly QueuedFault[] } {
    return { settings: this.settings, queued: this.queue.map((q) => ({ ...q })) };
  }

  /** Replaces the settings (and reseeds); queued failures stay. */
  set(input: unknown): FaultSettings {
    this.settings = parseFaultSettings(input);
    this.random = seededRandom(this.settings.seed ?? 1);
    return this.settings;
  }

  failNext(error: FaultErrorName, options: FailNextOptions = {}): void {
    if (!(FAULT_ERRORS as readonly string[]).includes(error)) {
      throw new ControlError(400, `error must be one of ${FAULT_ERRORS.join(', ')}`);
    }
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10_000) {
      throw new ControlError(400, 'count must be an integer from 1 to 10000');
    }
    if (options.operation !== undefined && !(EMULATED_OPERATIONS as readonly string[]).includes(options.operation)) {
      throw new ControlError(400, `operation must be one of ${EMULATED_OPERATIONS.join(', ')}`);
    }
    this.queue.push({ error, remaining: count, ...(options.operation && { operation: options.operation }) });
  }

  clear(): void {
    this.settings = {};
    this.random = seededRandom(1);
    this.queue = [];
  }

  /** Decides the fate of one call: queued failures first, then the configured shares. */
  decide(operation: EmulatedOperation): FaultDecision {
    const own = this.settings.operations?.[operation] ?? {};
    const latencyMs = own.latencyMs ?? this.settings.latencyMs ?? 0;
    const queued = this.queue.find((q) => q.operation === undefined || q.operation === operation);
    if (queued) {
      queued.remaining -= 1;
      if (queued.remaining <= 0) this.queue = this.queue.filter((q) => q !== queued);
      return { latencyMs, error: new AwsError(queued.error, FAULT_MESSAGES[queued.error]) };
    }
    const throttling = own.throttlingRate ?? this.settings.throttlingRate ?? 0;
    const internal = own.internalErrorRate ?? this.settings.internalErrorRate ?? 0;
    if (throttling + internal > 0) {
      const r = this.random();
      if (r < throttling)
        return { latencyMs, error: new AwsError('ThrottlingException', FAULT_MESSAGES.ThrottlingException) };
      if (r < throttling + internal) {
        return { latencyMs, error: new AwsError('InternalServerError', FAULT_MESSAGES.InternalServerError) };
      }
    }
    return { latencyMs };
  }
}

function parseOperationFaults(input: unknown, what: string): OperationFaults {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ControlError(400, `${what} must be a JSON object`);
  }
  const obj = input as Record<string, unknown>;
  const out: { -readonly [K in keyof OperationFaults]: OperationFaults[K] } = {};
  for (const key of ['throttlingRate', 'internalErrorRate'] as const) {
    const value = obj[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new ControlError(400, `${what}.${key} must be a number from 0 to 1`);
    }
    out[key] = value;
  }
  if (obj.latencyMs !== undefined) {
    const value = obj.latencyMs;
    if (typeof value !== 'number' || !(value >= 0 && value <= 60_000)) {
      throw new ControlError(400, `${what}.latencyMs must be a number from 0 to 60000`);
    }
    out.latencyMs = value;
  }
  return out;
}

export function parseFaultSettings(input: unknown): FaultSettings {
  const obj = (input ?? {}) as Record<string, unknown>;
  const base = parseOperationFaults(obj, 'faults');
  const allowed = ['throttlingRate', 'internalErrorRate', 'latencyMs', 'seed', 'operations'];
  const unknown = Object.keys(obj).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new ControlError(400, `faults: unknown field(s) ${unknown.join(', ')}`);
  let seed: number | undefined;
  if (obj.seed !== undefined) {
    if (typeof obj.seed !== 'number' || !Number.isInteger(obj.seed)) {
      throw new ControlError(400, 'faults.seed must be an integer');
    }
    seed = obj.seed;
  }
  let operations: FaultSettings['operations'];
  if (obj.operations !== undefined) {
    if (obj.operations === null || typeof obj.operations !== 'object' || Array.isArray(obj.operations)) {
      throw new ControlError(400, 'faults.operations must be a JSON object');
    }
    const ops: Partial<Record<EmulatedOperation, OperationFaults>> = {};
    for (const [name, value] of Object.entries(obj.operations)) {
      if (!(EMULATED_OPERATIONS as readonly string[]).includes(name)) {
        throw new ControlError(400, `faults.operations: unknown operation ${name}`);
      }
      ops[name as EmulatedOperation] = parseOperationFaults(value, `faults.operations.${name}`);
    }
    operations = ops;
  }
  return { ...base, ...(seed !== undefined && { seed }), ...(operations && { operations }) };
}
