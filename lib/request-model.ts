import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import { CREATE_SESSION_BODY_SCHEMA } from '../contract/liveness-model';

/**
 * CREATE_SESSION_BODY_SCHEMA in the shape CDK's Model expects. CDK spells `$schema` as `schema` and renders it back,
 * and its JsonSchemaType values are the JSON Schema type names, so the synthesized model is the shared schema itself.
 */
export function createSessionBodySchema(): apigw.JsonSchema {
  const { $schema, ...rest } = CREATE_SESSION_BODY_SCHEMA;
  return { schema: $schema, ...rest } as unknown as apigw.JsonSchema;
}
