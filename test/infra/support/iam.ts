/** Reads a role's whole permission set out of a template: inline policies plus every AWS::IAM::Policy attached to it. */
import type { Template } from 'aws-cdk-lib/assertions';

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

/** The logical id of the one role whose Description matches. */
export function roleId(template: Template, description: RegExp): string {
  const roles = Object.entries(template.findResources('AWS::IAM::Role') as Resources).filter(([, r]) =>
    description.test(r.Properties.Description ?? ''),
  );
  if (roles.length !== 1) throw new Error(`Expected one role matching ${description}, found ${roles.length}`);
  return roles[0]![0];
}

export function roleStatements(template: Template, logicalId: string): Statement[] {
  const role = (template.findResources('AWS::IAM::Role') as Resources)[logicalId];
  if (!role) throw new Error(`No role ${logicalId}`);
  const inline = (role.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
  const attached = Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => (p.Properties.Roles ?? []).some((r: any) => r.Ref === logicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
  return [...inline, ...attached];
}

/** Every action the role is allowed, sorted. */
export function allowedActions(statements: readonly Statement[]): string[] {
  return statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .sort();
}

/** The statement granting `action` (statements may be merged by policy minimization, so search by action). */
export function statementFor(statements: readonly Statement[], action: string): Statement {
  const found = statements.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action));
  if (found.length !== 1) throw new Error(`Expected one statement with ${action}, found ${found.length}`);
  return found[0]!;
}

export function resources(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Every policy statement anywhere in a template (roles, policies, bucket policies, trust policies). */
export function allStatements(node: unknown): Statement[] {
  if (Array.isArray(node)) return node.flatMap(allStatements);
  if (typeof node !== 'object' || node === null) return [];
  const obj = node as Record<string, unknown>;
  if (typeof obj.Effect === 'string' && obj.Action !== undefined) return [obj as unknown as Statement];
  return Object.values(obj).flatMap(allStatements);
}

/** One DynamoDB item request, as IAM sees it: the action, the partition key and every top-level attribute it names. */
export interface ItemRequest {
  readonly action: string;
  readonly leadingKey: string;
  readonly attributes: readonly string[];
  /** @default 'NONE' */
  readonly returnValues?: string;
}

/**
 * Whether `statements` allow `request` on the table: IAM's evaluation of the condition keys these policies use
 * (`dynamodb:LeadingKeys` with ForAllValues:StringLike, `dynamodb:Attributes` with ForAllValues:StringEquals,
 * `dynamodb:ReturnValues` with StringEqualsIfExists). Any other condition fails the test rather than being guessed.
 * IAM sees attribute names, never whether an expression sets, removes or only tests an attribute.
 */
export function allowsItemRequest(statements: readonly Statement[], tableArn: unknown, request: ItemRequest): boolean {
  const like = (pattern: string, value: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    ).test(value);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);
  return statements.some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    if (!list(statement.Action).includes(request.action)) return false;
    if (!resources(statement).some((r) => JSON.stringify(r) === JSON.stringify(tableArn))) return false;
    return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys as Record<string, unknown>).every(([key, allowed]) => {
        const values = list(allowed);
        if (operator === 'ForAllValues:StringLike' && key === 'dynamodb:LeadingKeys')
          return values.some((p) => like(p, request.leadingKey));
        if (operator === 'ForAllValues:StringEquals' && key === 'dynamodb:Attributes')
          return request.attributes.every((a) => values.includes(a));
        if (operator === 'StringEqualsIfExists' && key === 'dynamodb:ReturnValues')
          return values.includes(request.returnValues ?? 'NONE');
        throw new Error(`allowsItemRequest does not evaluate ${operator} ${key}`);
      }),
    );
  });
}
