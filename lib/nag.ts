/**
 * Helpers for cdk-nag acknowledgements. cdk-nag 3 reads CDK's own `Validations.of(x).acknowledge()` metadata, and a
 * granular finding (e.g. one wildcard resource) is only covered by an id naming exactly that finding. The construct
 * records these ids itself, so any app that runs cdk-nag over it sees only findings nobody has reasoned about.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges one cdk-nag finding on `scope` (and the resources below it). */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The id of cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource, e.g.
 * `AwsSolutions-IAM5[Resource::<ImageBucket96BEB6A3.Arn>/liveness/*]`. cdk-nag flattens references the way this
 * function does; the cdk-nag test fails if the two ever drift apart.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const fn = node as Record<string, unknown>;
    if (Array.isArray(fn['Fn::Join'])) {
      const [delimiter, items] = fn['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (fn['Fn::Sub'] !== undefined) return flatten(fn['Fn::Sub']);
    if (Array.isArray(fn['Fn::GetAtt'])) {
      const [resource, attribute] = fn['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (fn.Ref !== undefined) return `<${flatten(fn.Ref)}>`;
  }
  return JSON.stringify(node);
}
