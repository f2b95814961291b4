/**
 * The session table: who owns each session, the server's verdict on it (written once), and each owner's failure
 * lockout (contract/session-table-schema.ts has the item layout). On-demand, point-in-time recovery, encrypted at rest with the
 * AWS managed key or the images' customer-managed key, items expired by DynamoDB TTL.
 *
 * The permissions of the two functions are built here, action by action, so that each can do only its part:
 * - create-session: UpdateItem of session items (`SESSION#…`), only with the attributes a new session has (so it can
 *   never write, replace or erase a verdict: an UpdateItem cannot remove attributes it does not name, a PutItem
 *   would replace the whole item), GetItem of a session item's `expiresAt` only (projected: an idempotent repeat of a
 *   create answers the session's real expiry), and GetItem of owner items (`OWNER#…`) for the lockout check;
 * - get-result: GetItem of this table's items; UpdateItem of session items naming only the verdict attributes, and of
 *   owner items naming only the lockout attributes (always conditional in the handler). It can never reset a
 *   session's creation record or write anything else.
 * Each statement lists only the attributes its writes set (and the key, which an update cannot change): IAM cannot
 * tell an attribute named in a condition from one that is set, so the handlers' conditions name nothing else.
 * An app's consumer (grantConsumeVerdicts) may only put consumption items (`CONSUMED#…`), never touch a session item.
 * Every update must leave ReturnValues unset (NONE): no role reads items through its writes.
 * No Query, Scan, DeleteItem, BatchWriteItem or table-level action for any of them.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  CHECK_ATTRIBUTES,
  CHECK_BIND_ATTRIBUTES,
  CHECK_BIND_READ_ATTRIBUTES,
  CHECK_KEY_PREFIX,
  SESSION_IDENTITY_ATTRIBUTES,
  SUBJECT_CHECKS_ATTRIBUTES,
  SUBJECT_ENROLMENT_ATTRIBUTES,
  SUBJECT_KEY_PREFIX,
  VERDICT_IDENTITY_ATTRIBUTES,
  CONSUME_ATTRIBUTES,
  CONSUMED_KEY_PREFIX,
  OWNER_KEY_PREFIX,
  OWNER_UPDATE_ATTRIBUTES,
  SESSION_CREATE_ATTRIBUTES,
  SESSION_CREATE_READ_ATTRIBUTES,
  SESSION_KEY_PREFIX,
  SESSION_TABLE_KEY,
  SESSION_TABLE_TTL_ATTRIBUTE,
  VERDICT_UPDATE_ATTRIBUTES,
} from '../contract/session-table-schema';

export interface SessionTableProps {
  /** Encrypt with this customer-managed key. @default the AWS managed key for DynamoDB (aws/dynamodb) */
  readonly encryptionKey?: kms.IKey;
  /** RETAIN keeps the table (and turns deletion protection on); DESTROY deletes it with the stack. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * With a customer-managed key DynamoDB uses the key on the caller's behalf, and both functions read and write items:
 * both may decrypt and encrypt with it (the actions CDK's own table grants give, without their wildcards). The
 * construct merges these with the functions' image actions on the same key into one statement.
 */
export const SESSION_TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

export class SessionTable extends Construct {
  public readonly table: dynamodb.Table;
  /** The customer-managed key of the table, when there is one. */
  public readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: SessionTableProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: SESSION_TABLE_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(props.encryptionKey
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
      timeToLiveAttribute: SESSION_TABLE_TTL_ATTRIBUTE,
      removalPolicy: props.removalPolicy,
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
    });
  }

  /**
   * Record new sessions (never a verdict), read a recorded session's expiry, and read owners' lockout state. With
   * identity verification: a new session may name its identity check, and a check is read (never its photo) and
   * bound once (`sessionId`, `boundAt`, conditional on its `expiresAt`).
   */
  createSessionStatements(identity = false): iam.PolicyStatement[] {
    return [
      this.updateStatement(SESSION_KEY_PREFIX, [
        ...SESSION_CREATE_ATTRIBUTES,
        ...(identity ? SESSION_IDENTITY_ATTRIBUTES : []),
      ]),
      ...(identity
        ? [
            new iam.PolicyStatement({
              actions: ['dynamodb:GetItem'],
              resources: [this.table.tableArn],
              conditions: {
                ...keyConditions([CHECK_KEY_PREFIX]),
                'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...CHECK_BIND_READ_ATTRIBUTES] },
                StringEqualsIfExists: { 'dynamodb:Select': ['SPECIFIC_ATTRIBUTES'] },
              },
            }),
            this.updateStatement(CHECK_KEY_PREFIX, CHECK_BIND_ATTRIBUTES),
          ]
        : []),
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [this.table.tableArn],
        conditions: {
          ...keyConditions([SESSION_KEY_PREFIX]),
          // A GetItem without a projection is a read of the whole item (Select ALL_ATTRIBUTES): refused.
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...SESSION_CREATE_READ_ATTRIBUTES] },
          StringEqualsIfExists: { 'dynamodb:Select': ['SPECIFIC_ATTRIBUTES'] },
        },
      }),
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [this.table.tableArn],
        conditions: keyConditions([OWNER_KEY_PREFIX]),
      }),
    ];
  }

  /**
   * Read sessions, consumptions and owners, add verdicts and count failures (conditional updates). With identity
   * verification: read checks and subjects, add the identity outcome to the verdict, delete a spent check (reading
   * nothing back) and take it off its subject's list, and record a subject's enrolled face (returning the one it
   * replaces, to delete it from the collection).
   */
  getResultStatements(identity = false): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [this.table.tableArn],
        conditions: keyConditions([
          SESSION_KEY_PREFIX,
          CONSUMED_KEY_PREFIX,
          OWNER_KEY_PREFIX,
          ...(identity ? [CHECK_KEY_PREFIX, SUBJECT_KEY_PREFIX] : []),
        ]),
      }),
      this.updateStatement(SESSION_KEY_PREFIX, [
        ...VERDICT_UPDATE_ATTRIBUTES,
        ...(identity ? VERDICT_IDENTITY_ATTRIBUTES : []),
      ]),
      this.updateStatement(OWNER_KEY_PREFIX, OWNER_UPDATE_ATTRIBUTES),
      ...(identity
        ? [
            new iam.PolicyStatement({
              actions: ['dynamodb:DeleteItem'],
              resources: [this.table.tableArn],
              conditions: {
                ...keyConditions([CHECK_KEY_PREFIX]),
                StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
              },
            }),
            this.updateStatement(SUBJECT_KEY_PREFIX, SUBJECT_CHECKS_ATTRIBUTES),
            this.updateStatement(SUBJECT_KEY_PREFIX, SUBJECT_ENROLMENT_ATTRIBUTES, ['NONE', 'UPDATED_OLD']),
          ]
        : []),
    ];
  }

  /**
   * The identity function's part (identity verification): put new checks (conditional on being new), add them to
   * their subject's list, read subjects, and delete checks and subjects at erasure (reading back what was deleted, to
   * find its stored photo). Never a session, owner or consumption item.
   */
  identityStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [this.table.tableArn],
        conditions: keyConditions([CHECK_KEY_PREFIX], CHECK_ATTRIBUTES),
      }),
      this.updateStatement(SUBJECT_KEY_PREFIX, SUBJECT_CHECKS_ATTRIBUTES),
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [this.table.tableArn],
        conditions: keyConditions([SUBJECT_KEY_PREFIX]),
      }),
      new iam.PolicyStatement({
        actions: ['dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
        conditions: {
          ...keyConditions([CHECK_KEY_PREFIX, SUBJECT_KEY_PREFIX]),
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'ALL_OLD'] },
        },
      }),
    ];
  }

  /**
   * Lets an app's own code read verdicts: GetItem on session and consumption items (`SESSION#`, `CONSUMED#` keys)
   * only, never the lockout items, plus decrypting with the table's customer-managed key when it has one. Owners are
   * stored as owner references, so nothing read this way is an identity id or a credential.
   */
  grantReadVerdicts(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem'],
      resourceArns: [this.table.tableArn],
      conditions: keyConditions([SESSION_KEY_PREFIX, CONSUMED_KEY_PREFIX]),
    });
    this.encryptionKey?.grantDecrypt(grantee);
    return grant;
  }

  /**
   * Lets an app's backend consume verdicts once: PutItem of consumption items (`CONSUMED#` keys) naming only their
   * attributes. No UpdateItem or DeleteItem, and nothing of a session item: the grantee can neither change a verdict
   * nor undo a consumption.
   */
  grantConsumeVerdicts(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:PutItem'],
      resourceArns: [this.table.tableArn],
      conditions: keyConditions([CONSUMED_KEY_PREFIX], CONSUME_ATTRIBUTES),
    });
    this.encryptionKey?.grant(grantee, ...SESSION_TABLE_KEY_ACTIONS);
    return grant;
  }

  /** UpdateItem of items under one key prefix, naming only `attributes`, returning nothing (or `returnValues`). */
  private updateStatement(
    prefix: string,
    attributes: readonly string[],
    returnValues: readonly string[] = ['NONE'],
  ): iam.PolicyStatement {
    return new iam.PolicyStatement({
      actions: ['dynamodb:UpdateItem'],
      resources: [this.table.tableArn],
      conditions: keyConditions([prefix], attributes, returnValues),
    });
  }
}

/**
 * IAM conditions limiting an item action to keys under `prefixes`; with `attributes`, also to writes naming only those
 * attributes and returning nothing (ReturnValues NONE).
 */
function keyConditions(
  prefixes: readonly string[],
  attributes?: readonly string[],
  returnValues: readonly string[] = ['NONE'],
): Record<string, Record<string, unknown>> {
  const keys = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) } };
  if (attributes === undefined) return keys;
  return {
    ...keys,
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...attributes] },
    StringEqualsIfExists: { 'dynamodb:ReturnValues': [...returnValues] },
  };
}
