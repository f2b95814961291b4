/**
 * Runs one Arazzo workflow step by step against a real HTTP endpoint with fetch.
 *
 * Flow rules (Arazzo 1.0.1): a step succeeds when all its successCriteria hold (no criteria: a 2xx status). On success
 * the first matching action of onSuccess (then the workflow's successActions) runs: `end` ends the workflow, `goto`
 * jumps to a step. When no action matches, or there are none, the default applies: the next step, and after the last
 * step the workflow ends. The spec does not say what happens when a non-empty onSuccess list has no match; this executor
 * (like other runners) then takes the default, so the seed's FAILED and EXPIRED results end the workflow normally. On
 * failure the first matching onFailure action runs (`retry` honours retryAfter/retryLimit); with none the workflow
 * stops and returns as failed. Loops are bounded: `maxSteps` step runs in all, `loopDelayMs` before re-running a step.
 */
import type { ArazzoDocument, Criterion, FailureAction, Step, SuccessAction, Workflow } from './document';
import {
  evaluateCriterion,
  evaluateSimpleCondition,
  evaluateValue,
  type ExpressionScope,
  type HttpExchange,
} from './expressions';

export interface OperationBinding {
  readonly method: string;
  readonly path: string;
}

/** Every operation of an AWS JSON 1.0/1.1 service is `POST /` (the X-Amz-Target header names it). */
export const AWS_JSON_OPERATION: OperationBinding = { method: 'POST', path: '/' };

export type RequestSigner = (request: {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}) => Promise<Record<string, string>>;

export interface RunWorkflowOptions {
  readonly baseUrl: string;
  /** @default the document's first workflow */
  readonly workflowId?: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** HTTP binding per operationId (or operationPath). */
  readonly operations?: Readonly<Record<string, OperationBinding>>;
  /** Binding for operations not in `operations`. @default none: an unbound operation fails the run */
  readonly defaultOperation?: OperationBinding;
  /** Adds auth headers (e.g. createArazzoRequestSigner()). */
  readonly signRequest?: RequestSigner;
  readonly fetch?: typeof fetch;
  /** Step runs allowed in all, loops included. @default 50 */
  readonly maxSteps?: number;
  /** Wait before running a step again (a goto loop such as polling). @default 1000 */
  readonly loopDelayMs?: number;
  /** Per-request timeout. @default 10000 */
  readonly requestTimeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onStep?: (record: StepRecord) => void;
}

export interface StepRecord {
  readonly stepId: string;
  readonly statusCode?: number;
  readonly success: boolean;
  readonly outputs: Readonly<Record<string, unknown>>;
  /** What happened next, e.g. `goto pollResults (stillRunning)`, `end (terminal)`, `next`, `end (last step)`. */
  readonly next: string;
}

export interface WorkflowRunResult {
  readonly workflowId: string;
  readonly status: 'succeeded' | 'failed';
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly steps: readonly StepRecord[];
  readonly failure?: { readonly stepId?: string; readonly statusCode?: number; readonly message: string };
}

export class ArazzoRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArazzoRunError';
  }
}

/** A referenced timer on purpose: a CLI awaiting the run must not exit while it waits between polls. */
const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

function checkInputs(workflow: Workflow, inputs: Readonly<Record<string, unknown>>): void {
  const schema = workflow.inputs;
  if (!schema) return;
  for (const name of schema.required ?? []) {
    if (inputs[name] === undefined) throw new ArazzoRunError(`Missing workflow input '${name}'`);
  }
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const value = inputs[name];
    if (value === undefined || property.type === undefined) continue;
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    const ok =
      property.type === actual ||
      (property.type === 'integer' && Number.isInteger(value)) ||
      (property.type === 'number' && actual === 'number');
    if (!ok) throw new ArazzoRunError(`Workflow input '${name}' must be of type ${property.type}`);
  }
}

function matches(criteria: readonly Criterion[] | undefined, scope: ExpressionScope): boolean {
  return (criteria ?? []).every((criterion) => evaluateCriterion(criterion, scope));
}

/** Step actions first, then the workflow's actions whose names the step did not redefine. */
function actionsFor<T extends { readonly name: string }>(
  stepActions: readonly T[] | undefined,
  workflowActions: readonly T[] | undefined,
): T[] {
  const own = stepActions ?? [];
  const names = new Set(own.map((a) => a.name));
  return [...own, ...(workflowActions ?? []).filter((a) => !names.has(a.name))];
}

function isJsonType(contentType: string | undefined): boolean {
  return contentType !== undefined && /[/+]json\b|json-/i.test(contentType.split(';')[0] ?? '');
}

async function send(step: Step, scope: ExpressionScope, options: RunWorkflowOptions): Promise<HttpExchange> {
  const operationKey = step.operationId ?? step.operationPath ?? '';
  const binding = options.operations?.[operationKey] ?? options.defaultOperation;
  if (!binding) throw new ArazzoRunError(`No HTTP binding for operation '${operationKey}' of step '${step.stepId}'`);

  let path = binding.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const parameter of step.parameters ?? []) {
    const raw = evaluateValue(parameter.value, scope);
    if (raw === undefined) continue;
    const value = typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : String(raw);
    if (parameter.in === 'header') headers[parameter.name] = value;
    else if (parameter.in === 'query') query.append(parameter.name, value);
    else if (parameter.in === 'cookie') cookies.push(`${parameter.name}=${encodeURIComponent(value)}`);
    else path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
  }
  if (cookies.length > 0) headers.Cookie = cookies.join('; ');

  let body: string | undefined;
  let requestBody: unknown;
  if (step.requestBody) {
    const contentType = step.requestBody.contentType;
    requestBody = evaluateValue(step.requestBody.payload, scope);
    if (contentType !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = contentType;
    }
    if (requestBody !== undefined) {
      body = typeof requestBody === 'string' && !isJsonType(contentType) ? requestBody : JSON.stringify(requestBody);
    }
  }

  const url = new URL(path.replace(/^\/?/, '/'), options.baseUrl);
  query.forEach((value, key) => url.searchParams.append(key, value));
  const method = binding.method.toUpperCase();
  const signed = options.signRequest
    ? await options.signRequest({ method, url: url.toString(), headers, body })
    : headers;

  const response = await (options.fetch ?? fetch)(url, {
    method,
    headers: signed,
    ...(body !== undefined && { body }),
    signal: AbortSignal.timeout(options.requestTimeoutMs ?? 10_000),
  });
  const text = await response.text();
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    responseHeaders[key] = value;
  });
  let responseBody: unknown = text;
  if (isJsonType(response.headers.get('content-type') ?? undefined) && text !== '') {
    try {
      responseBody = JSON.parse(text);
    } catch {
      responseBody = text;
    }
  }
  return {
    url: url.toString(),
    method,
    requestHeaders: signed,
    requestBody,
    statusCode: response.status,
    responseHeaders,
    responseBody,
  };
}

export async function runWorkflow(document: ArazzoDocument, options: RunWorkflowOptions): Promise<WorkflowRunResult> {
  const workflow = options.workflowId
    ? document.workflows.find((w) => w.workflowId === options.workflowId)
    : document.workflows[0];
  if (!workflow) throw new ArazzoRunError(`No workflow '${options.workflowId ?? ''}' in the document`);
  const inputs = options.inputs ?? {};
  checkInputs(workflow, inputs);

  const sleep = options.sleep ?? defaultSleep;
  const maxSteps = options.maxSteps ?? 50;
  const loopDelayMs = options.loopDelayMs ?? 1000;
  const steps: Record<string, { outputs: Record<string, unknown> }> = {};
  const records: StepRecord[] = [];
  const retries = new Map<string, number>();
  const ran = new Set<string>();
  const indexOf = (stepId: string): number => workflow.steps.findIndex((s) => s.stepId === stepId);

  const finish = (status: WorkflowRunResult['status'], failure?: WorkflowRunResult['failure']): WorkflowRunResult => {
    const scope: ExpressionScope = { inputs, steps };
    const outputs = Object.fromEntries(
      Object.entries(workflow.outputs ?? {}).map(([name, expression]) => [name, evaluateValue(expression, scope)]),
    );
    return { workflowId: workflow.workflowId, status, outputs, steps: records, ...(failure && { failure }) };
  };

  let index = 0;
  while (index < workflow.steps.length) {
    const step = workflow.steps[index] as Step;
    if (records.length >= maxSteps) {
      return finish('failed', { stepId: step.stepId, message: `Stopped after maxSteps (${maxSteps}) step runs` });
    }
    let exchange: HttpExchange;
    try {
      exchange = await send(step, { inputs, steps }, options);
    } catch (err) {
      if (err instanceof ArazzoRunError) throw err;
      return finish('failed', { stepId: step.stepId, message: `Request failed: ${(err as Error).message}` });
    }
    ran.add(step.stepId);
    const scope: ExpressionScope = { inputs, steps, exchange };
    const success = step.successCriteria?.length
      ? matches(step.successCriteria, scope)
      : evaluateSimpleCondition('$statusCode >= 200 && $statusCode < 300', scope);
    const outputs = Object.fromEntries(
      Object.entries(step.outputs ?? {}).map(([name, expression]) => [name, evaluateValue(expression, scope)]),
    );
    steps[step.stepId] = { outputs };
    const record = (next: string): void => {
      const entry: StepRecord = { stepId: step.stepId, statusCode: exchange.statusCode, success, outputs, next };
      records.push(entry);
      options.onStep?.(entry);
    };

    if (success) {
      const action = actionsFor<SuccessAction>(step.onSuccess, workflow.successActions).find((a) =>
        matches(a.criteria, scope),
      );
      if (action?.type === 'end') {
        record(`end (${action.name})`);
        return finish('succeeded');
      }
      if (action?.type === 'goto') {
        const target = action.stepId as string;
        record(`goto ${target} (${action.name})`);
        if (ran.has(target) && loopDelayMs > 0) await sleep(loopDelayMs);
        index = indexOf(target);
        continue;
      }
      index += 1;
      record(index < workflow.steps.length ? 'next' : 'end (last step)');
      continue;
    }

    const action = actionsFor<FailureAction>(step.onFailure, workflow.failureActions).find((a) =>
      matches(a.criteria, scope),
    );
    const failure = {
      stepId: step.stepId,
      statusCode: exchange.statusCode,
      message: `Step '${step.stepId}' failed its success criteria (HTTP ${exchange.statusCode})`,
    };
    if (action?.type === 'retry') {
      const key = `${step.stepId}/${action.name}`;
      const used = retries.get(key) ?? 0;
      if (used < (action.retryLimit ?? 1)) {
        retries.set(key, used + 1);
        record(`retry ${action.stepId ?? step.stepId} (${action.name})`);
        await sleep((action.retryAfter ?? 0) * 1000);
        index = indexOf(action.stepId ?? step.stepId);
        continue;
      }
      record(`fail (${action.name}: retry limit reached)`);
      return finish('failed', failure);
    }
    if (action?.type === 'goto') {
      record(`goto ${action.stepId as string} (${action.name})`);
      index = indexOf(action.stepId as string);
      continue;
    }
    record(action ? `end (${action.name})` : 'fail');
    return finish('failed', failure);
  }
  return finish('succeeded');
}
