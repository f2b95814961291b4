/**
 * Identity checks and subjects in the session table (contract/session-table-schema.ts: check and subject items),
 * through the low-level DynamoDB client like session-records.ts. Every write that must happen once is conditional:
 * a check is put only if new and bound only if unbound (or already bound to the same session, an idempotent create).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { IDENTITY_METHODS, type IdentityMethod, type ReferencePhotoObject } from '../../contract/identity';
import {
  checkKey,
  SESSION_TABLE_KEY,
  SESSION_TABLE_TTL_ATTRIBUTE,
  subjectKey,
} from '../../contract/session-table-schema';
import { isConditionFailure, numberOf, stringOf } from './session-records';

type Item = Record<string, AttributeValue>;
type Client = Pick<DynamoDBClient, 'send'>;

/** A new check token (32 random bytes, base64url) and the id the table knows it by (its SHA-256). */
export function newCheckToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The table never holds the bearer token itself: a leaked table row cannot bind a session. */
export function checkIdOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * The subject reference: how Rekognition (ExternalImageId), S3 keys and the table name the app's subject. A keyed hash
 * under the deployment's OWNER_REF_KEY (domain-separated from owner references), 128 bits as 32 hex digits, so no
 * app user id reaches Rekognition or an S3 key and the reference cannot be recomputed without the key.
 */
export function subjectRefOf(subject: string, key: string | undefined): string {
  return createHmac('sha256', key ?? INSTANCE_KEY)
    .update('subject\0')
    .update(subject)
    .digest('hex')
    .slice(0, 32);
}

const INSTANCE_KEY = randomBytes(32).toString('base64');

export interface IdentityCheck {
  readonly checkId: string;
  readonly subject: string;
  readonly subjectRef: string;
  readonly method: IdentityMethod;
  readonly threshold: number;
  /** `reference` only: where the photo is, and whether it is this backend's copy (deleted with the check). */
  readonly photo?: ReferencePhotoObject & { readonly stored: boolean };
  /** Epoch seconds: bind before. */
  readonly expiresAt: number;
  /** Epoch seconds: the item's TTL. */
  readonly deleteAfterSeconds: number;
  readonly createdAt: string;
  /** Set once bound. */
  readonly sessionId?: string;
}

export interface Subject {
  readonly subjectRef: string;
  readonly faceIds: readonly string[];
  readonly enrolledAt?: string;
  readonly checks: readonly string[];
}

export type BindOutcome = 'BOUND' | 'UNKNOWN' | 'EXPIRED' | 'ALREADY_BOUND';

/** What the create-session function reads of a check to bind it. */
export interface CheckForBinding {
  readonly method: IdentityMethod;
  readonly subject: string;
  readonly expiresAt: number;
  readonly sessionId?: string;
}

export interface IdentityRecords {
  /** Puts a new check and adds it to its subject's open checks. */
  putCheck(check: IdentityCheck): Promise<void>;
  getCheckForBinding(checkId: string): Promise<CheckForBinding | undefined>;
  /** Binds the check to the session once; the same session again is BOUND (an idempotent create). */
  bindCheck(checkId: string, sessionId: string, nowMs: number): Promise<BindOutcome>;
  getCheck(checkId: string): Promise<IdentityCheck | undefined>;
  /**
   * Deletes the check; with `subjectRef`, also takes it off that subject's list. With `returnOld` it returns what the
   * check was (the identity function's erasure; the result function deletes without reading anything back).
   */
  deleteCheck(
    checkId: string,
    options: { readonly subjectRef?: string; readonly returnOld: boolean },
  ): Promise<IdentityCheck | undefined>;
  getSubject(subjectRef: string): Promise<Subject | undefined>;
  /** Records the subject's one enrolled face; returns the faces it replaces. */
  setEnrolment(subjectRef: string, faceIds: readonly string[], enrolledAt: string): Promise<readonly string[]>;
  deleteSubject(subjectRef: string): Promise<Subject | undefined>;
}

export function dynamoIdentityRecords(client: Client, tableName: string): IdentityRecords {
  const key = (pk: string): Item => ({ [SESSION_TABLE_KEY]: { S: pk } });
  const getCheckForBinding = async (checkId: string): Promise<CheckForBinding | undefined> => {
    const { Item: item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: key(checkKey(checkId)),
        ConsistentRead: true,
        ProjectionExpression: '#pk, #method, #subject, #expiresAt, #sessionId',
        ExpressionAttributeNames: {
          '#pk': SESSION_TABLE_KEY,
          '#method': 'method',
          '#subject': 'subject',
          '#expiresAt': 'expiresAt',
          '#sessionId': 'sessionId',
        },
      }),
    );
    if (item === undefined) return undefined;
    const method = methodOf(item.method);
    const subject = stringOf(item.subject);
    const expiresAt = numberOf(item.expiresAt);
    if (method === undefined || subject === undefined || expiresAt === undefined)
      throw new Error('Malformed check record');
    const sessionId = stringOf(item.sessionId);
    return { method, subject, expiresAt, ...(sessionId !== undefined && { sessionId }) };
  };
  return {
    async putCheck(check) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            [SESSION_TABLE_KEY]: { S: checkKey(check.checkId) },
            checkId: { S: check.checkId },
            subject: { S: check.subject },
            subjectRef: { S: check.subjectRef },
            method: { S: check.method },
            threshold: { N: String(check.threshold) },
            ...(check.photo !== undefined && {
              photoBucket: { S: check.photo.bucket },
              photoKey: { S: check.photo.name },
              ...(check.photo.version !== undefined && { photoVersion: { S: check.photo.version } }),
              photoStored: { BOOL: check.photo.stored },
            }),
            createdAt: { S: check.createdAt },
            expiresAt: { N: String(check.expiresAt) },
            [SESSION_TABLE_TTL_ATTRIBUTE]: { N: String(check.deleteAfterSeconds) },
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': SESSION_TABLE_KEY },
        }),
      );
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(subjectKey(check.subjectRef)),
          UpdateExpression: 'SET #subjectRef = :subjectRef ADD #checks :check',
          ExpressionAttributeNames: { '#subjectRef': 'subjectRef', '#checks': 'checks' },
          ExpressionAttributeValues: { ':subjectRef': { S: check.subjectRef }, ':check': { SS: [check.checkId] } },
        }),
      );
    },

    getCheckForBinding,

    async bindCheck(checkId, sessionId, nowMs) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(checkKey(checkId)),
            UpdateExpression: 'SET #sessionId = :sessionId, #boundAt = :boundAt',
            ConditionExpression:
              'attribute_exists(#pk) AND ((attribute_not_exists(#sessionId) AND #expiresAt > :now) OR #sessionId = :sessionId)',
            ExpressionAttributeNames: {
              '#pk': SESSION_TABLE_KEY,
              '#expiresAt': 'expiresAt',
              '#sessionId': 'sessionId',
              '#boundAt': 'boundAt',
            },
            ExpressionAttributeValues: {
              ':sessionId': { S: sessionId },
              ':boundAt': { S: new Date(nowMs).toISOString() },
              ':now': { N: String(Math.floor(nowMs / 1000)) },
            },
          }),
        );
        return 'BOUND';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const check = await getCheckForBinding(checkId);
      if (check === undefined) return 'UNKNOWN';
      if (check.sessionId !== undefined && check.sessionId !== sessionId) return 'ALREADY_BOUND';
      return 'EXPIRED';
    },

    async getCheck(checkId) {
      const { Item: item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key(checkKey(checkId)), ConsistentRead: true }),
      );
      return item === undefined ? undefined : toCheck(item);
    },

    async deleteCheck(checkId, options) {
      const { Attributes: old } = await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: key(checkKey(checkId)),
          ...(options.returnOld && { ReturnValues: 'ALL_OLD' }),
        }),
      );
      const ref = options.subjectRef;
      if (ref !== undefined) {
        await client
          .send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(subjectKey(ref)),
              UpdateExpression: 'DELETE #checks :check',
              ConditionExpression: 'attribute_exists(#pk)',
              ExpressionAttributeNames: { '#pk': SESSION_TABLE_KEY, '#checks': 'checks' },
              ExpressionAttributeValues: { ':check': { SS: [checkId] } },
            }),
          )
          .catch((error: unknown) => {
            // An erased subject has no list left to take the check off.
            if (!isConditionFailure(error)) throw error;
          });
      }
      return old === undefined ? undefined : toCheck(old);
    },

    async getSubject(subjectRef) {
      const { Item: item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key(subjectKey(subjectRef)), ConsistentRead: true }),
      );
      return item === undefined ? undefined : toSubject(item);
    },

    async setEnrolment(subjectRef, faceIds, enrolledAt) {
      const { Attributes: old } = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(subjectKey(subjectRef)),
          UpdateExpression: 'SET #subjectRef = :subjectRef, #faceIds = :faceIds, #enrolledAt = :enrolledAt',
          ExpressionAttributeNames: { '#subjectRef': 'subjectRef', '#faceIds': 'faceIds', '#enrolledAt': 'enrolledAt' },
          ExpressionAttributeValues: {
            ':subjectRef': { S: subjectRef },
            ':faceIds': { SS: [...faceIds] },
            ':enrolledAt': { S: enrolledAt },
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return old?.faceIds?.SS ?? [];
    },

    async deleteSubject(subjectRef) {
      const { Attributes: old } = await client.send(
        new DeleteItemCommand({ TableName: tableName, Key: key(subjectKey(subjectRef)), ReturnValues: 'ALL_OLD' }),
      );
      return old === undefined ? undefined : toSubject(old);
    },
  };
}

function methodOf(value: AttributeValue | undefined): IdentityMethod | undefined {
  const method = stringOf(value);
  return method !== undefined && (IDENTITY_METHODS as readonly string[]).includes(method)
    ? (method as IdentityMethod)
    : undefined;
}

function toCheck(item: Item): IdentityCheck {
  const checkId = stringOf(item.checkId);
  const subject = stringOf(item.subject);
  const subjectRef = stringOf(item.subjectRef);
  const method = methodOf(item.method);
  const threshold = numberOf(item.threshold);
  const expiresAt = numberOf(item.expiresAt);
  const deleteAfterSeconds = numberOf(item[SESSION_TABLE_TTL_ATTRIBUTE]);
  const createdAt = stringOf(item.createdAt);
  if (
    checkId === undefined ||
    subject === undefined ||
    subjectRef === undefined ||
    method === undefined ||
    threshold === undefined ||
    expiresAt === undefined ||
    deleteAfterSeconds === undefined ||
    createdAt === undefined
  )
    throw new Error('Malformed check record');
  const bucket = stringOf(item.photoBucket);
  const name = stringOf(item.photoKey);
  const version = stringOf(item.photoVersion);
  const stored = item.photoStored !== undefined && 'BOOL' in item.photoStored && item.photoStored.BOOL === true;
  const sessionId = stringOf(item.sessionId);
  return {
    checkId,
    subject,
    subjectRef,
    method,
    threshold,
    expiresAt,
    deleteAfterSeconds,
    createdAt,
    ...(bucket !== undefined &&
      name !== undefined && { photo: { bucket, name, ...(version !== undefined && { version }), stored } }),
    ...(sessionId !== undefined && { sessionId }),
  };
}

function toSubject(item: Item): Subject {
  const subjectRef = stringOf(item.subjectRef);
  if (subjectRef === undefined) throw new Error('Malformed subject record');
  const enrolledAt = stringOf(item.enrolledAt);
  return {
    subjectRef,
    faceIds: item.faceIds?.SS ?? [],
    checks: item.checks?.SS ?? [],
    ...(enrolledAt !== undefined && { enrolledAt }),
  };
}
