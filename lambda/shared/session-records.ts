/**
 * The session table (contract/session-table-schema.ts) through the low-level DynamoDB client: no document client, no
 * marshalling library, a handful of attributes written by hand, to keep the bundles and cold starts small.
 *
 * Every write that must happen once is conditional, so concurrent handlers cannot lose or duplicate anything:
 * - a session record is put only if absent;
 * - a verdict is added only if the session has none yet (the first terminal result wins, later ones read it);
 * - a consumption item (written by an app's backend, client/consume-verdict.ts) is only read here;
 * - an owner's failure state is replaced only if its version is the one read (optimistic locking, retried).
 * Only operations that local mode's DynamoDB stand-in (local/dynamo) also implements are used: no transactions.
 */
import { GetItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NOT_LIVE_REASONS, type ChallengeRun, type NotLiveReason } from '../../contract/api-types';
import { IDENTITY_METHODS, IDENTITY_REASONS, type IdentityMethod, type IdentityReason } from '../../contract/identity';
import { isTerminalStatus, type TerminalStatus } from '../../contract/liveness-model';
import { FEEDBACK_CODES, type FeedbackCode } from '../../contract/liveness-model';
import {
  consumedKey,
  ownerKey,
  sessionKey,
  SESSION_TABLE_KEY,
  SESSION_TABLE_TTL_ATTRIBUTE,
} from '../../contract/session-table-schema';
import type { LockoutPolicy } from './config';
import { ApiError } from './errors';
import { applyFailure, countsFailure, EMPTY_OWNER_STATE, type OwnerState } from './lockout';

export type VerdictStatus = TerminalStatus;

/** The server's verdict on a session, as stored once. No confidence: see contract/session-table-schema.ts. */
export interface Verdict {
  readonly status: VerdictStatus;
  readonly isLive: boolean;
  readonly reason?: NotLiveReason;
  /** The confidence threshold the verdict was decided with. */
  readonly threshold: number;
  readonly feedback: readonly FeedbackCode[];
  /** ISO-8601. */
  readonly decidedAt: string;
  /** The challenge Rekognition reported the session ran, when it reported one. */
  readonly challenge?: ChallengeRun;
  /** The verdict's one attestation, fixed when it was decided; absent on verdicts decided without a signer. */
  readonly attestation?: VerdictAttestation;
  /** The identity check's outcome, decided with the verdict, when the session was bound to one. */
  readonly identity?: IdentityOutcome;
}

/** An identity check's outcome as stored with the verdict: no similarity, face id or image. */
export interface IdentityOutcome {
  readonly method: IdentityMethod;
  readonly subject: string;
  readonly matched: boolean;
  readonly reason?: IdentityReason;
  readonly threshold: number;
}

/** The identity check a session was bound to at creation. */
export interface SessionIdentityCheck {
  readonly checkId: string;
  readonly method: IdentityMethod;
  readonly subject: string;
}

export interface VerdictAttestation {
  /** Its `jti`. */
  readonly id: string;
  /** Its `exp`, epoch seconds. */
  readonly expiresAt: number;
}

export interface SessionRecord {
  readonly sessionId: string;
  /** The owner reference (lambda/shared/identity.ts). */
  readonly owner: string;
  /** ISO-8601. */
  readonly createdAt: string;
  /** Epoch seconds after which the record is gone, whether or not TTL deletion has removed it yet. */
  readonly deleteAfterSeconds?: number;
  /** The create request's nonce, when it had one. */
  readonly nonce?: string;
  /** A consumption recorded on the session item itself, as it was before consumption items. */
  readonly consumedInRecord?: boolean;
  /** The identity check bound to the session, when it was created with one. */
  readonly identityCheck?: SessionIdentityCheck;
  readonly verdict?: Verdict;
}

export interface NewSession {
  readonly sessionId: string;
  /** The owner reference. */
  readonly owner: string;
  /** Echoed in the verdict's attestation. */
  readonly nonce?: string;
  /** The identity check bound to this session (bound before the record is written). */
  readonly identityCheck?: SessionIdentityCheck;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms: the end of the session's 3-minute life. */
  readonly expiresAt: number;
  /** Epoch seconds after which DynamoDB may delete the record and its verdict. */
  readonly deleteAfterSeconds: number;
}

export interface FailureCount {
  /**
   * True when the owner is locked out and this session's failure was not counted before: the failure is refused, not
   * counted, and the caller must not decide the verdict (so no more than the maximum failures are ever decided).
   */
  readonly refused?: boolean;
  /** True when this failure started a lockout. */
  readonly lockStarted: boolean;
  /** Epoch ms, 0 when not locked. */
  readonly lockedUntil: number;
}

export interface SessionRecords {
  /**
   * Records a new session and its owner, and returns the session's `expiresAt` (epoch ms). A replay of the same
   * session (an idempotent create) changes nothing and returns the `expiresAt` recorded first: the session's real one.
   */
  recordSession(session: NewSession): Promise<number>;
  /** Epoch ms until which the owner may not create sessions; 0 when not locked. */
  lockedUntil(owner: string): Promise<number>;
  getSession(sessionId: string): Promise<SessionRecord | undefined>;
  /** Whether an app's backend has consumed the session's verdict (its consumption item exists). */
  isConsumed(sessionId: string): Promise<boolean>;
  /**
   * Adds the verdict of a session the caller has read and found to be `owner`'s, unless the session already has
   * one, and returns the verdict that stands (`recorded` tells whether it is this one). Undefined when the session is
   * gone or the verdict that stands is not this owner's (its `decidedFor` pins it to the owner it was decided for).
   */
  recordVerdict(
    sessionId: string,
    owner: string,
    verdict: Verdict,
  ): Promise<{ readonly verdict: Verdict; readonly recorded: boolean } | undefined>;
  /**
   * Counts a failed check once per session, before its verdict is recorded; undefined when nothing changed (counted
   * already, too old, lockout off). `refused` when the owner is locked out and the session was not counted yet.
   */
  countFailure(
    owner: string,
    failure: { readonly sessionId: string; readonly failedAt: number },
    now: number,
    policy: LockoutPolicy,
  ): Promise<FailureCount | undefined>;
}

export interface SessionRecordsOptions {
  /** Optimistic-locking attempts for one owner's failure state before giving up with 429. @default 10 */
  readonly maxAttempts?: number;
  /** @default a jittered wait of up to 5·2^attempt ms, capped at 250 ms */
  readonly backoff?: (attempt: number) => Promise<void>;
}

type Item = Record<string, AttributeValue>;
type Client = Pick<DynamoDBClient, 'send'>;

export function dynamoSessionRecords(
  client: Client,
  tableName: string,
  options: SessionRecordsOptions = {},
): SessionRecords {
  const maxAttempts = options.maxAttempts ?? 10;
  const backoff = options.backoff ?? defaultBackoff;
  const key = (pk: string): Item => ({ [SESSION_TABLE_KEY]: { S: pk } });
  const getSession = async (sessionId: string): Promise<SessionRecord | undefined> => {
    const { Item: item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: key(sessionKey(sessionId)), ConsistentRead: true }),
    );
    return item === undefined ? undefined : toSessionRecord(item);
  };

  /** The `expiresAt` of a recorded session (epoch ms): the one attribute of a session item the create role reads. */
  const recordedExpiry = async (sessionId: string): Promise<number | undefined> => {
    const { Item: item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: key(sessionKey(sessionId)),
        ConsistentRead: true,
        ProjectionExpression: '#expiresAt',
        ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
      }),
    );
    const recorded = Date.parse(item?.expiresAt?.S ?? '');
    return Number.isNaN(recorded) ? undefined : recorded;
  };

  return {
    async recordSession(session) {
      const check = session.identityCheck;
      try {
        // An upsert of named attributes, not a PutItem: the IAM policy can then limit this function to these
        // attributes, and no request of it can replace or erase a verdict (lib/session-table.ts).
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(sessionKey(session.sessionId)),
            UpdateExpression: `SET #sessionId = :sessionId, #owner = :owner, #createdAt = :createdAt, #expiresAt = :expiresAt, #ttl = :ttl${session.nonce !== undefined ? ', #nonce = :nonce' : ''}${check !== undefined ? ', #identityCheck = :identityCheck, #identityMethod = :identityMethod, #identitySubject = :identitySubject' : ''}`,
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: {
              '#pk': SESSION_TABLE_KEY,
              '#sessionId': 'sessionId',
              '#owner': 'owner',
              '#createdAt': 'createdAt',
              '#expiresAt': 'expiresAt',
              '#ttl': SESSION_TABLE_TTL_ATTRIBUTE,
              ...(session.nonce !== undefined && { '#nonce': 'nonce' }),
              ...(check !== undefined && {
                '#identityCheck': 'identityCheck',
                '#identityMethod': 'identityMethod',
                '#identitySubject': 'identitySubject',
              }),
            },
            ExpressionAttributeValues: {
              ...(session.nonce !== undefined && { ':nonce': { S: session.nonce } }),
              ...(check !== undefined && {
                ':identityCheck': { S: check.checkId },
                ':identityMethod': { S: check.method },
                ':identitySubject': { S: check.subject },
              }),
              ':sessionId': { S: session.sessionId },
              ':owner': { S: session.owner },
              ':createdAt': { S: new Date(session.createdAt).toISOString() },
              ':expiresAt': { S: new Date(session.expiresAt).toISOString() },
              ':ttl': { N: String(session.deleteAfterSeconds) },
            },
          }),
        );
        return session.expiresAt;
      } catch (error) {
        // The same session again: Rekognition's idempotency token is derived from the owner (create-session/core.ts),
        // so only the same owner can get the same session id back. The first record stands, and so does its expiry.
        if (!isConditionFailure(error)) throw error;
      }
      return (await recordedExpiry(session.sessionId)) ?? session.expiresAt;
    },

    async lockedUntil(owner) {
      const { Item: item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: key(ownerKey(owner)),
          ConsistentRead: true,
          ProjectionExpression: 'lockedUntil',
        }),
      );
      return numberOf(item?.lockedUntil) ?? 0;
    },

    getSession,

    async isConsumed(sessionId) {
      const { Item: item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: key(consumedKey(sessionId)),
          ConsistentRead: true,
          ProjectionExpression: '#pk',
          ExpressionAttributeNames: { '#pk': SESSION_TABLE_KEY },
        }),
      );
      return item !== undefined;
    },

    async recordVerdict(sessionId, owner, verdict) {
      const identity = verdict.identity;
      const values: Item = {
        ':status': { S: verdict.status },
        ':isLive': { BOOL: verdict.isLive },
        ':threshold': { N: String(verdict.threshold) },
        ':feedback': { L: verdict.feedback.map((code) => ({ S: code })) },
        ':decidedAt': { S: verdict.decidedAt },
        ':decidedFor': { S: owner },
        ...(verdict.reason !== undefined && { ':reason': { S: verdict.reason } }),
        ...(verdict.challenge !== undefined && {
          ':challengeType': { S: verdict.challenge.type },
          ':challengeVersion': { S: verdict.challenge.version },
        }),
        ...(verdict.attestation !== undefined && {
          ':attestationId': { S: verdict.attestation.id },
          ':attestationExpiresAt': { N: String(verdict.attestation.expiresAt) },
        }),
        ...(identity !== undefined && {
          ':identityMatched': { BOOL: identity.matched },
          ':identityThreshold': { N: String(identity.threshold) },
          ...(identity.reason !== undefined && { ':identityReason': { S: identity.reason } }),
        }),
      };
      const optional = `${verdict.reason !== undefined ? ', #reason = :reason' : ''}${verdict.challenge !== undefined ? ', #challengeType = :challengeType, #challengeVersion = :challengeVersion' : ''}${verdict.attestation !== undefined ? ', #attestationId = :attestationId, #attestationExpiresAt = :attestationExpiresAt' : ''}${identity !== undefined ? `, #identityMatched = :identityMatched, #identityThreshold = :identityThreshold${identity.reason !== undefined ? ', #identityReason = :identityReason' : ''}` : ''}`;
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(sessionKey(sessionId)),
            UpdateExpression: `SET #status = :status, #isLive = :isLive, #threshold = :threshold, #feedback = :feedback, #decidedAt = :decidedAt, #decidedFor = :decidedFor${optional}`,
            // Names only what the update sets (and the key): the IAM policy lists exactly these attributes. The owner
            // was compared when the record was read; decidedFor pins the verdict to it (toSessionRecord).
            ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#decidedAt)',
            ExpressionAttributeNames: {
              '#pk': SESSION_TABLE_KEY,
              '#status': 'status',
              '#isLive': 'isLive',
              '#threshold': 'threshold',
              '#feedback': 'feedback',
              '#decidedAt': 'decidedAt',
              '#decidedFor': 'decidedFor',
              ...(verdict.reason !== undefined && { '#reason': 'reason' }),
              ...(verdict.challenge !== undefined && {
                '#challengeType': 'challengeType',
                '#challengeVersion': 'challengeVersion',
              }),
              ...(verdict.attestation !== undefined && {
                '#attestationId': 'attestationId',
                '#attestationExpiresAt': 'attestationExpiresAt',
              }),
              ...(identity !== undefined && {
                '#identityMatched': 'identityMatched',
                '#identityThreshold': 'identityThreshold',
                ...(identity.reason !== undefined && { '#identityReason': 'identityReason' }),
              }),
            },
            ExpressionAttributeValues: values,
          }),
        );
        return { verdict, recorded: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      // Another reader decided first: the stored verdict stands (if it is this owner's).
      const stored = await getSession(sessionId);
      if (stored?.owner !== owner || stored.verdict === undefined) return undefined;
      return { verdict: stored.verdict, recorded: false };
    },

    async countFailure(owner, failure, now, policy) {
      if (!countsFailure(failure.failedAt, now, policy)) return undefined;
      for (let attempt = 1; ; attempt++) {
        const { Item: item } = await client.send(
          new GetItemCommand({ TableName: tableName, Key: key(ownerKey(owner)), ConsistentRead: true }),
        );
        const state = item === undefined ? EMPTY_OWNER_STATE : toOwnerState(item);
        if (state.lockedUntil > now && !Object.hasOwn(state.failures, failure.sessionId)) {
          return { refused: true, lockStarted: false, lockedUntil: state.lockedUntil };
        }
        const update = applyFailure(state, failure, now, policy);
        if (update === undefined) return undefined;
        const next = update.state;
        try {
          await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(ownerKey(owner)),
              UpdateExpression:
                'SET #owner = :owner, #failures = :failures, #lockedUntil = :lockedUntil, #lockouts = :lockouts, #version = :next, #ttl = :ttl',
              ConditionExpression: state.version === 0 ? 'attribute_not_exists(#pk)' : '#version = :expected',
              ExpressionAttributeNames: {
                ...(state.version === 0 && { '#pk': SESSION_TABLE_KEY }),
                '#owner': 'owner',
                '#failures': 'failures',
                '#lockedUntil': 'lockedUntil',
                '#lockouts': 'lockouts',
                '#version': 'version',
                '#ttl': SESSION_TABLE_TTL_ATTRIBUTE,
              },
              ExpressionAttributeValues: {
                ':owner': { S: owner },
                ':failures': {
                  M: Object.fromEntries(Object.entries(next.failures).map(([id, at]) => [id, { N: String(at) }])),
                },
                ':lockedUntil': { N: String(next.lockedUntil) },
                ':lockouts': { N: String(next.lockouts) },
                ':next': { N: String(next.version) },
                ':ttl': { N: String(update.expiresAtSeconds) },
                ...(state.version !== 0 && { ':expected': { N: String(state.version) } }),
              },
            }),
          );
          return { lockStarted: update.lockStarted, lockedUntil: next.lockedUntil };
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
        // Another failure of the same owner was counted in between: read again and retry.
        if (attempt >= maxAttempts) {
          throw new ApiError('THROTTLED', undefined, {
            detail: `Failure count of one owner still contended after ${maxAttempts} attempts`,
          });
        }
        await backoff(attempt);
      }
    },
  };
}

function defaultBackoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(250, 5 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isConditionFailure(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'ConditionalCheckFailedException'
  );
}

/** A string attribute's value; anything else (absent, another type) is undefined. */
export function stringOf(value: AttributeValue | undefined): string | undefined {
  return value !== undefined && 'S' in value && typeof value.S === 'string' ? value.S : undefined;
}

/** A number attribute's finite value; anything else is undefined. */
export function numberOf(value: AttributeValue | undefined): number | undefined {
  if (value === undefined || !('N' in value) || typeof value.N !== 'string') return undefined;
  const n = Number(value.N);
  return Number.isFinite(n) ? n : undefined;
}

/** A stored item, read defensively: a record that does not have the expected shape is an error, never a verdict. */
function toSessionRecord(item: Item): SessionRecord {
  const sessionId = stringOf(item.sessionId);
  const owner = stringOf(item.owner);
  const createdAt = stringOf(item.createdAt);
  if (sessionId === undefined || owner === undefined || createdAt === undefined)
    throw new Error('Malformed session record');
  const deleteAfterSeconds = numberOf(item[SESSION_TABLE_TTL_ATTRIBUTE]);
  const nonce = stringOf(item.nonce);
  const identityCheck = toSessionIdentityCheck(item);
  const base = {
    sessionId,
    owner,
    createdAt,
    ...(deleteAfterSeconds !== undefined && { deleteAfterSeconds }),
    ...(nonce !== undefined && { nonce }),
    ...(item.consumedAt !== undefined && { consumedInRecord: true }),
    ...(identityCheck !== undefined && { identityCheck }),
  };
  const decidedAt = stringOf(item.decidedAt);
  if (decidedAt === undefined) return base;

  // A verdict decided for another owner than the record names now: the owner was rewritten, never trust it.
  if (stringOf(item.decidedFor) !== owner) throw new Error('Malformed verdict record');
  const status = stringOf(item.status) as VerdictStatus | undefined;
  const isLive = item.isLive !== undefined && 'BOOL' in item.isLive ? item.isLive.BOOL : undefined;
  const threshold = numberOf(item.threshold);
  const reason = stringOf(item.reason) as NotLiveReason | undefined;
  if (
    status === undefined ||
    !isTerminalStatus(status) ||
    typeof isLive !== 'boolean' ||
    threshold === undefined ||
    (reason !== undefined && !(NOT_LIVE_REASONS as readonly string[]).includes(reason)) ||
    isLive === (reason !== undefined)
  ) {
    throw new Error('Malformed verdict record');
  }
  const list = item.feedback !== undefined && 'L' in item.feedback ? (item.feedback.L ?? []) : [];
  const feedback = list
    .map(stringOf)
    .filter((c): c is FeedbackCode => c !== undefined && (FEEDBACK_CODES as readonly string[]).includes(c));
  const challengeType = stringOf(item.challengeType);
  const challengeVersion = stringOf(item.challengeVersion);
  const challenge =
    challengeType !== undefined && challengeVersion !== undefined
      ? { challenge: { type: challengeType, version: challengeVersion } }
      : {};
  const attestationId = stringOf(item.attestationId);
  const attestationExpiresAt = numberOf(item.attestationExpiresAt);
  const attestation =
    attestationId !== undefined && attestationExpiresAt !== undefined
      ? { attestation: { id: attestationId, expiresAt: attestationExpiresAt } }
      : {};
  const identity = toIdentityOutcome(item, identityCheck);
  return {
    ...base,
    verdict: {
      status,
      isLive,
      threshold,
      feedback,
      decidedAt,
      ...(reason !== undefined && { reason }),
      ...challenge,
      ...attestation,
      ...(identity !== undefined && { identity }),
    },
  };
}

function toSessionIdentityCheck(item: Item): SessionIdentityCheck | undefined {
  const checkId = stringOf(item.identityCheck);
  if (checkId === undefined) return undefined;
  const method = stringOf(item.identityMethod);
  const subject = stringOf(item.identitySubject);
  if (method === undefined || !(IDENTITY_METHODS as readonly string[]).includes(method) || subject === undefined)
    throw new Error('Malformed session record');
  return { checkId, method: method as IdentityMethod, subject };
}

/** A verdict of a session bound to a check must carry its outcome: one without it is refused, never read as matched. */
function toIdentityOutcome(item: Item, check: SessionIdentityCheck | undefined): IdentityOutcome | undefined {
  if (check === undefined) return undefined;
  const matched =
    item.identityMatched !== undefined && 'BOOL' in item.identityMatched ? item.identityMatched.BOOL : undefined;
  const threshold = numberOf(item.identityThreshold);
  const reason = stringOf(item.identityReason);
  if (
    typeof matched !== 'boolean' ||
    threshold === undefined ||
    (reason !== undefined && !(IDENTITY_REASONS as readonly string[]).includes(reason)) ||
    matched === (reason !== undefined)
  )
    throw new Error('Malformed verdict record');
  return {
    method: check.method,
    subject: check.subject,
    matched,
    threshold,
    ...(reason !== undefined && { reason: reason as IdentityReason }),
  };
}

function toOwnerState(item: Item): OwnerState {
  const map = item.failures !== undefined && 'M' in item.failures ? (item.failures.M ?? {}) : {};
  const failures: Record<string, number> = {};
  for (const [sessionId, value] of Object.entries(map)) {
    const at = numberOf(value);
    if (at !== undefined) failures[sessionId] = at;
  }
  return {
    failures,
    lockedUntil: numberOf(item.lockedUntil) ?? 0,
    lockouts: numberOf(item.lockouts) ?? 0,
    version: numberOf(item.version) ?? 0,
  };
}
