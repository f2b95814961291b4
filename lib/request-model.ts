import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import { CREATE_IDENTITY_CHECK_BODY_SCHEMA, IDENTITY_CHECK_FIELD } from '../contract/identity';
import { CREATE_SESSION_BODY_SCHEMA } from '../contract/liveness-model';

/**
 * CREATE_SESSION_BODY_SCHEMA in the shape CDK's Model expects. CDK spells `$schema` as `schema` and renders it back,
 * and its JsonSchemaType values are the JSON Schema type names, so the synthesized model is the shared schema itself.
 */
export function createSessionBodySchema(identity = false): apigw.JsonSchema {
  const { $schema, ...rest } = CREATE_SESSION_BODY_SCHEMA;
  // With identity verification a session may carry its check token (and nothing else of identity).
  const properties = identity ? { ...rest.properties, ...IDENTITY_CHECK_FIELD } : rest.properties;
  return { schema: $schema, ...rest, properties } as unknown as apigw.JsonSchema;
}

/** CREATE_IDENTITY_CHECK_BODY_SCHEMA, the body of POST /identity/checks, in the same shape. */
export function createIdentityCheckBodySchema(): apigw.JsonSchema {
  const { $schema, ...rest } = CREATE_IDENTITY_CHECK_BODY_SCHEMA;
  return { schema: $schema, ...rest } as unknown as apigw.JsonSchema;
}
