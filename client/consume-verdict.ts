/**
 * Consuming a verdict exactly once, for an app's backend (Node): after `verifyAttestation`, one conditional PutItem of
 * the verdict's consumption item (`CONSUMED#<sessionId>`) in the session table. Of any number of concurrent consumers
 * of one verdict, exactly one gets `true`; every later call gets `false`, and the result function hands out no
 * attestation of a consumed verdict.
 *
 * It takes the verified claims, not a session id: what is consumed is a verdict this backend has verified (live, for
 * its issuer, audience and nonce). The consumption lives in an item of its own, so the grant it needs
 * (`FaceLivenessBackend.grantConsumeVerdicts`: this one PutItem, on CONSUMED# items, naming only these attributes)
 * cannot change what a verdict is read from, nor undo a consumption. Not exported from the browser client's index: it
 * needs AWS credentials with table access, which a browser never has.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttestationClaims } from '../contract/attestation';
import { CONSUME_ATTRIBUTES, consumedKey } from '../contract/session-table-schema';

/** How long a consumption item outlives its attestation's `exp` before DynamoDB may delete it. */
const KEEP_AFTER_EXPIRY_SECONDS = 86_400;

export interface ConsumeVerdictInput {
  readonly tableName: string;
  /** The claims `verifyAttestation` returned. */
  readonly claims: Pick<AttestationClaims, 'sid' | 'live' | 'exp'>;
  /** @default new Date() */
  readonly now?: Date;
}

/** True when this call consumed the live verdict; false when it was consumed before or is not live. */
export async function consumeVerdict(
  client: Pick<DynamoDBClient, 'send'>,
  input: ConsumeVerdictInput,
): Promise<boolean> {
  if (input.claims.live !== true) return false;
  const [pk, consumedAt, ttl] = CONSUME_ATTRIBUTES;
  // Loaded here, not with the entry: a backend that only verifies attestations needs no DynamoDB client installed.
  const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
  try {
    await client.send(
      new PutItemCommand({
        TableName: input.tableName,
        Item: {
          [pk]: { S: consumedKey(input.claims.sid) },
          [consumedAt]: { S: (input.now ?? new Date()).toISOString() },
          // Kept past the attestation's expiry; after it no attestation of the verdict is handed out anyway.
          [ttl]: { N: String(input.claims.exp + KEEP_AFTER_EXPIRY_SECONDS) },
        },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': pk },
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
