/**
 * Loading and checking Arazzo 1.0.x documents for the executor in this folder.
 *
 * Parser decision: the document is parsed with `yaml` (the maintained YAML 1.2 parser) and its structure is checked
 * here. No npm Arazzo package fitted: @jentic/arazzo-parser is not on the registry; @swagger-api/apidom-parser-adapter-
 * arazzo-yaml-1 pulls in ApiDOM (ramda, tree-sitter) and yields an element tree to convert back; @redocly/openapi-core
 * lints Arazzo but is ESM-only with a large tree (ajv, graphql) and executes nothing. The checks below cover the rules
 * of the Arazzo 1.0.1 schema for the objects the executor runs, plus the cross-references it depends on (unique ids,
 * goto targets); anything the executor does not run is rejected by name instead of being ignored.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

export type CriterionType = 'simple' | 'regex' | 'jsonpath';

export interface Criterion {
  readonly condition: string;
  readonly context?: string;
  readonly type?: CriterionType;
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly value: unknown;
}

export interface SuccessAction {
  readonly name: string;
  readonly type: 'end' | 'goto';
  readonly stepId?: string;
  readonly criteria?: readonly Criterion[];
}

export interface FailureAction {
  readonly name: string;
  readonly type: 'end' | 'goto' | 'retry';
  readonly stepId?: string;
  readonly retryAfter?: number;
  readonly retryLimit?: number;
  readonly criteria?: readonly Criterion[];
}

export interface Step {
  readonly stepId: string;
  readonly description?: string;
  readonly operationId?: string;
  readonly operationPath?: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly contentType?: string; readonly payload?: unknown };
  readonly successCriteria?: readonly Criterion[];
  readonly onSuccess?: readonly SuccessAction[];
  readonly onFailure?: readonly FailureAction[];
  readonly outputs?: Readonly<Record<string, string>>;
}

export interface Workflow {
  readonly workflowId: string;
  readonly summary?: string;
  readonly description?: string;
  readonly inputs?: {
    readonly type?: string;
    readonly properties?: Readonly<Record<string, { readonly type?: string }>>;
    readonly required?: readonly string[];
  };
  readonly steps: readonly Step[];
  readonly successActions?: readonly SuccessAction[];
  readonly failureActions?: readonly FailureAction[];
  readonly outputs?: Readonly<Record<string, string>>;
}

export interface ArazzoDocument {
  readonly arazzo: string;
  readonly info: {
    readonly title: string;
    readonly version: string;
    readonly summary?: string;
    readonly description?: string;
  };
  readonly sourceDescriptions: ReadonlyArray<{ readonly name: string; readonly url: string; readonly type?: string }>;
  readonly workflows: readonly Workflow[];
}

export class ArazzoValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid or unsupported Arazzo document:\n- ${problems.join('\n- ')}`);
    this.name = 'ArazzoValidationError';
  }
}

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const NAME_PATTERN = /^[a-zA-Z0-9.\-_]+$/;
const OUTPUT_KEY_PATTERN = /^[a-zA-Z0-9.\-_]+$/;

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => value !== null && typeof value === 'object' && !Array.isArray(value);

class Checker {
  readonly problems: string[] = [];

  fail(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  string(obj: Obj, key: string, path: string, required: boolean, pattern?: RegExp): string | undefined {
    const value = obj[key];
    if (value === undefined) {
      if (required) this.fail(path, `'${key}' is required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail(`${path}.${key}`, 'must be a string');
      return undefined;
    }
    if (pattern && !pattern.test(value)) this.fail(`${path}.${key}`, `must match ${pattern.source}`);
    return value;
  }

  array(obj: Obj, key: string, path: string, required: boolean): unknown[] | undefined {
    const value = obj[key];
    if (value === undefined) {
      if (required) this.fail(path, `'${key}' is required`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.fail(`${path}.${key}`, 'must be an array');
      return undefined;
    }
    return value;
  }

  unsupported(obj: Obj, keys: readonly string[], path: string): void {
    for (const key of keys) {
      if (obj[key] !== undefined) this.fail(`${path}.${key}`, 'is not supported by this executor');
    }
  }

  outputs(value: unknown, path: string): void {
    if (value === undefined) return;
    if (!isObject(value)) {
      this.fail(path, 'must be a map of names to runtime expressions');
      return;
    }
    for (const [name, expression] of Object.entries(value)) {
      if (!OUTPUT_KEY_PATTERN.test(name)) this.fail(`${path}.${name}`, `name must match ${OUTPUT_KEY_PATTERN.source}`);
      if (typeof expression !== 'string') this.fail(`${path}.${name}`, 'must be a runtime expression string');
    }
  }

  criteria(value: unknown, path: string): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      this.fail(path, 'must be an array');
      return;
    }
    value.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (!isObject(item)) {
        this.fail(p, 'must be a criterion object');
        return;
      }
      this.string(item, 'condition', p, true);
      this.string(item, 'context', p, false);
      const type = item.type;
      if (type !== undefined && !['simple', 'regex', 'jsonpath'].includes(type as string)) {
        this.fail(
          `${p}.type`,
          "must be 'simple', 'regex' or 'jsonpath' (xpath and expression-type objects are not supported)",
        );
      }
      if ((type === 'regex' || type === 'jsonpath') && item.context === undefined) {
        this.fail(p, `'context' is required for a ${type as string} criterion`);
      }
    });
  }

  actions(value: unknown, path: string, kind: 'success' | 'failure', stepIds: ReadonlySet<string>): void {
    const list = value === undefined ? [] : value;
    if (!Array.isArray(list)) {
      this.fail(path, 'must be an array');
      return;
    }
    const types = kind === 'success' ? ['end', 'goto'] : ['end', 'goto', 'retry'];
    const names = new Set<string>();
    list.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (!isObject(item)) {
        this.fail(p, 'must be an action object');
        return;
      }
      if (item.reference !== undefined) {
        this.fail(p, 'reusable action references are not supported by this executor');
        return;
      }
      const name = this.string(item, 'name', p, true);
      if (name !== undefined) {
        if (names.has(name)) this.fail(p, `duplicate action name '${name}'`);
        names.add(name);
      }
      const type = this.string(item, 'type', p, true);
      if (type !== undefined && !types.includes(type)) this.fail(`${p}.type`, `must be one of ${types.join(', ')}`);
      if (item.workflowId !== undefined) this.fail(`${p}.workflowId`, 'is not supported by this executor');
      if ((type === 'goto' || type === 'retry') && item.stepId !== undefined) {
        const stepId = this.string(item, 'stepId', p, false);
        if (stepId !== undefined && !stepIds.has(stepId))
          this.fail(`${p}.stepId`, `no step '${stepId}' in this workflow`);
      }
      if (type === 'goto' && item.stepId === undefined) this.fail(p, "a goto action needs 'stepId'");
      if (item.retryAfter !== undefined && !(typeof item.retryAfter === 'number' && item.retryAfter >= 0)) {
        this.fail(`${p}.retryAfter`, 'must be a non-negative number');
      }
      if (item.retryLimit !== undefined && !(Number.isInteger(item.retryLimit) && (item.retryLimit as number) >= 0)) {
        this.fail(`${p}.retryLimit`, 'must be a non-negative integer');
      }
      this.criteria(item.criteria, `${p}.criteria`);
    });
  }
}

function checkStep(c: Checker, step: Obj, p: string, stepIds: ReadonlySet<string>): void {
  c.unsupported(step, ['workflowId'], p);
  const targets = ['operationId', 'operationPath'].filter((key) => step[key] !== undefined);
  if (targets.length !== 1) c.fail(p, "exactly one of 'operationId' or 'operationPath' is required");
  c.string(step, 'operationId', p, false);
  c.string(step, 'operationPath', p, false);
  const params = c.array(step, 'parameters', p, false) ?? [];
  params.forEach((param, i) => {
    const pp = `${p}.parameters[${i}]`;
    if (!isObject(param)) return c.fail(pp, 'must be a parameter object');
    if (param.reference !== undefined)
      return c.fail(pp, 'reusable parameter references are not supported by this executor');
    c.string(param, 'name', pp, true);
    const location = c.string(param, 'in', pp, true);
    if (location !== undefined && !['path', 'query', 'header', 'cookie'].includes(location)) {
      c.fail(`${pp}.in`, "must be 'path', 'query', 'header' or 'cookie'");
    }
    if (!('value' in param)) c.fail(pp, "'value' is required");
  });
  if (step.requestBody !== undefined) {
    if (!isObject(step.requestBody)) c.fail(`${p}.requestBody`, 'must be an object');
    else {
      c.string(step.requestBody, 'contentType', `${p}.requestBody`, false);
      c.unsupported(step.requestBody, ['replacements'], `${p}.requestBody`);
    }
  }
  c.criteria(step.successCriteria, `${p}.successCriteria`);
  c.actions(step.onSuccess, `${p}.onSuccess`, 'success', stepIds);
  c.actions(step.onFailure, `${p}.onFailure`, 'failure', stepIds);
  c.outputs(step.outputs, `${p}.outputs`);
}

/** Checks a parsed document; throws ArazzoValidationError listing every problem found. */
export function validateArazzoDocument(input: unknown): ArazzoDocument {
  const c = new Checker();
  if (!isObject(input)) throw new ArazzoValidationError(['document: must be a YAML or JSON object']);
  c.string(input, 'arazzo', '$', true, /^1\.0\.\d+(-.+)?$/);
  if (!isObject(input.info)) c.fail('$', "'info' object is required");
  else {
    c.string(input.info, 'title', '$.info', true);
    c.string(input.info, 'version', '$.info', true);
  }
  const sources = c.array(input, 'sourceDescriptions', '$', true) ?? [];
  if (Array.isArray(input.sourceDescriptions) && sources.length === 0)
    c.fail('$.sourceDescriptions', 'must not be empty');
  sources.forEach((source, i) => {
    const p = `$.sourceDescriptions[${i}]`;
    if (!isObject(source)) return c.fail(p, 'must be an object');
    c.string(source, 'name', p, true, NAME_PATTERN);
    c.string(source, 'url', p, true);
  });
  c.unsupported(input, ['components'], '$');
  const workflows = c.array(input, 'workflows', '$', true) ?? [];
  if (Array.isArray(input.workflows) && workflows.length === 0) c.fail('$.workflows', 'must not be empty');
  const workflowIds = new Set<string>();
  workflows.forEach((workflow, wi) => {
    const wp = `$.workflows[${wi}]`;
    if (!isObject(workflow)) return c.fail(wp, 'must be an object');
    const workflowId = c.string(workflow, 'workflowId', wp, true, ID_PATTERN);
    if (workflowId !== undefined) {
      if (workflowIds.has(workflowId)) c.fail(wp, `duplicate workflowId '${workflowId}'`);
      workflowIds.add(workflowId);
    }
    c.unsupported(workflow, ['dependsOn', 'parameters'], wp);
    if (workflow.inputs !== undefined && !isObject(workflow.inputs))
      c.fail(`${wp}.inputs`, 'must be a JSON Schema object');
    const steps = c.array(workflow, 'steps', wp, true) ?? [];
    if (Array.isArray(workflow.steps) && steps.length === 0) c.fail(`${wp}.steps`, 'must not be empty');
    const stepIds = new Set<string>();
    steps.forEach((step, si) => {
      if (!isObject(step)) return;
      const stepId = c.string(step, 'stepId', `${wp}.steps[${si}]`, true, ID_PATTERN);
      if (stepId !== undefined) {
        if (stepIds.has(stepId)) c.fail(`${wp}.steps[${si}]`, `duplicate stepId '${stepId}'`);
        stepIds.add(stepId);
      }
    });
    steps.forEach((step, si) => {
      if (!isObject(step)) return c.fail(`${wp}.steps[${si}]`, 'must be an object');
      checkStep(c, step, `${wp}.steps[${si}]`, stepIds);
    });
    c.actions(workflow.successActions, `${wp}.successActions`, 'success', stepIds);
    c.actions(workflow.failureActions, `${wp}.failureActions`, 'failure', stepIds);
    c.outputs(workflow.outputs, `${wp}.outputs`);
  });
  if (c.problems.length > 0) throw new ArazzoValidationError(c.problems);
  return input as unknown as ArazzoDocument;
}

/** Parses Arazzo YAML (or JSON) text and checks it. */
export function parseArazzoDocument(text: string): ArazzoDocument {
  let parsed: unknown;
  try {
    parsed = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    throw new ArazzoValidationError([`document: not valid YAML (${(err as Error).message.split('\n')[0]})`]);
  }
  return validateArazzoDocument(parsed);
}

export async function loadArazzoDocument(file: string): Promise<ArazzoDocument> {
  return parseArazzoDocument(await readFile(file, 'utf8'));
}
