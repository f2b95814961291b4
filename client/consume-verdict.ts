/**
 * Consuming a verdict exactly once, for an app's backend (Node): after `verifyAttestation`, one conditional write of
 * `consumedAt` on the session's record in the session table. Of any number of concurrent consumers of one verdict,
 * exactly one gets `true`; a verdict that is not live, not decided for that owner, or already consumed gets `false`.
 *
 * The backend's role needs the construct's consume grant (`FaceLivenessBackend.grantConsumeVerdicts`): this one
 * UpdateItem, naming only these attributes, on SESSION# items. Not exported from the browser client's index: it needs
 * AWS credentials with table access, which a browser never has.
 */
import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CONSUME_ATTRIBUTES, SESSION_TABLE_KEY, sessionKey } from '../contract/session-table-schema';

export interface ConsumeVerdictInput {
  readonly tableName: string;
  /** The attestation's `sid`. */
  readonly sessionId: string;
  /** The attestation's `sub`: the verdict must have been decided for this owner. */
  readonly owner: string;
  /** @default new Date() */
  readonly now?: Date;
}

/** True when this call consumed the live verdict; false when it was consumed before, is not live, or is not this owner's. */
export async function consumeVerdict(
  client: Pick<DynamoDBClient, 'send'>,
  input: ConsumeVerdictInput,
): Promise<boolean> {
  const [, consumedAt, decidedAt, isLive, decidedFor] = CONSUME_ATTRIBUTES;
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: input.tableName,
        Key: { [SESSION_TABLE_KEY]: { S: sessionKey(input.sessionId) } },
        UpdateExpression: 'SET #consumedAt = :now',
        ConditionExpression:
          'attribute_exists(#decidedAt) AND #isLive = :true AND #decidedFor = :owner AND attribute_not_exists(#consumedAt)',
        ExpressionAttributeNames: {
          '#consumedAt': consumedAt,
          '#decidedAt': decidedAt,
          '#isLive': isLive,
          '#decidedFor': decidedFor,
        },
        ExpressionAttributeValues: {
          ':now': { S: (input.now ?? new Date()).toISOString() },
          ':true': { BOOL: true },
          ':owner': { S: input.owner },
        },
      }),
    );
    return true;
  } catch (error) {
    if (
      typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'ConditionalCheckFailedException'
    )
      return false;
    throw error;
  }
}
