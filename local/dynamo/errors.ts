/**
 * The errors the local DynamoDB stand-in answers with, in DynamoDB's JSON protocol shape: a `__type` naming the
 * exception and a `message`, with DynamoDB's HTTP status (400 for a client error, 500 for InternalServerError).
 */
import type { Item } from './attribute-values';

/** `__type` prefixes DynamoDB uses: the service's own exceptions and Coral's request-level ones. */
const DYNAMODB_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';
const CORAL_NAMESPACE = 'com.amazon.coral.service';

export class DynamoError extends Error {
  constructor(
    /** The exception's name, e.g. ValidationException: what the SDK reports as `error.name`. */
    readonly type: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error body (`Item` of a ConditionalCheckFailedException). */
    readonly extra?: { readonly Item?: Item },
    readonly namespace = DYNAMODB_NAMESPACE,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { __type: `${this.namespace}#${this.type}`, message: this.message, ...this.extra };
  }
}

export const validationError = (message: string): DynamoError => new DynamoError('ValidationException', message);

/** Something DynamoDB accepts that this stand-in does not implement: refused, never silently ignored. */
export const unsupported = (what: string): DynamoError =>
  validationError(`${what} is not supported by the local DynamoDB stand-in`);

export const serializationError = (message: string): DynamoError =>
  new DynamoError('SerializationException', message, 400, undefined, CORAL_NAMESPACE);

export const resourceNotFound = (message = 'Requested resource not found'): DynamoError =>
  new DynamoError('ResourceNotFoundException', message);

export const conditionalCheckFailed = (item: Item | undefined): DynamoError =>
  new DynamoError(
    'ConditionalCheckFailedException',
    'The conditional request failed',
    400,
    item === undefined ? undefined : { Item: item },
  );
