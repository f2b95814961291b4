/**
 * The session table's schema: one DynamoDB table, one string partition key `pk`, two kinds of item told apart by the
 * key's prefix. The handlers read and write it, the construct builds the table and its IAM conditions from it, and
 * other services of an app read verdicts with it (README: "The verdict record").
 *
 * Session item, `pk` = `SESSION#<sessionId>`, written once at creation (by the create-session function):
 *   sessionId (S), owner (S), createdAt (S, ISO-8601), expiresAt (S, ISO-8601: the 3-minute life), ttl (N, epoch s).
 * Then, once, when a result read first sees a terminal status (by the get-result function, conditionally):
 *   status (S: SUCCEEDED | FAILED | EXPIRED), isLive (BOOL), reason (S, only when not live), threshold (N: the
 *   confidence threshold the verdict was decided with), feedback (L of S: Rekognition's feedback codes), decidedAt (S),
 *   challengeType and challengeVersion (S, the challenge Rekognition reported the session ran, when it reported one),
 *   decidedFor (S: the owner the verdict was decided for, which must equal `owner`).
 * Then at most once, by an app's backend that accepts the verdict (client/consume-verdict.ts): consumedAt (S).
 * The confidence score is deliberately not stored: the verdict and the threshold it was decided with are what a
 * consumer needs, and a score kept for 30 days is biometric-derived data nobody asked to keep.
 *
 * Owner item, `pk` = `OWNER#<owner>`, the failure lockout of one owner (get-result writes it, create-session only
 * reads `lockedUntil`):
 *   owner (S), failures (M: sessionId → N, epoch ms of each failed verdict in the current window), lockedUntil (N,
 *   epoch ms), lockouts (N: lockouts in a row, for the backoff), version (N: optimistic-locking counter), ttl (N).
 */

/** The table's only key attribute: a string partition key, no sort key. */
export const SESSION_TABLE_KEY = 'pk';
/** The DynamoDB TTL attribute (epoch seconds) of both kinds of item. */
export const SESSION_TABLE_TTL_ATTRIBUTE = 'ttl';

export const SESSION_KEY_PREFIX = 'SESSION#';
export const OWNER_KEY_PREFIX = 'OWNER#';

export const sessionKey = (sessionId: string): string => `${SESSION_KEY_PREFIX}${sessionId}`;
export const ownerKey = (owner: string): string => `${OWNER_KEY_PREFIX}${owner}`;

/**
 * Every attribute the create-session function writes. The construct allows its UpdateItem (an upsert, conditional on
 * the item being new) on exactly these (IAM `dynamodb:Attributes`): unlike a PutItem, which replaces a whole item,
 * it can never write, replace or erase a verdict, even if compromised.
 */
export const SESSION_CREATE_ATTRIBUTES = [
  SESSION_TABLE_KEY,
  'sessionId',
  'owner',
  'createdAt',
  'expiresAt',
  SESSION_TABLE_TTL_ATTRIBUTE,
] as const;

/**
 * What the create-session function may read of a session item (IAM `dynamodb:Attributes`, projection only): its
 * expiry, so that an idempotent repeat of a create answers the session's real `expiresAt`. Nothing of a verdict.
 */
export const SESSION_CREATE_READ_ATTRIBUTES = [SESSION_TABLE_KEY, 'expiresAt'] as const;

/** The attributes of a verdict, added once to a session item. */
export const VERDICT_ATTRIBUTES = [
  'status',
  'isLive',
  'reason',
  'threshold',
  'feedback',
  'decidedAt',
  'challengeType',
  'challengeVersion',
  'decidedFor',
] as const;

/**
 * What the get-result function may name in an update of a session item: the key and owner (in its condition) and the
 * verdict. A session's `owner` could be rewritten by the two roles that name it, so the verdict carries its own copy
 * (`decidedFor`): a verdict read back with another owner is refused as malformed, never handed to that owner.
 */
export const VERDICT_UPDATE_ATTRIBUTES = [SESSION_TABLE_KEY, 'owner', ...VERDICT_ATTRIBUTES] as const;

/**
 * What an app's backend may name when it consumes a verdict (client/consume-verdict.ts): it writes `consumedAt` once,
 * on the condition that the verdict is decided, live and for the expected owner. Order matters to that helper.
 */
export const CONSUME_ATTRIBUTES = [SESSION_TABLE_KEY, 'consumedAt', 'decidedAt', 'isLive', 'decidedFor'] as const;

/** What the get-result function may name in an update of an owner item (the failure lockout). */
export const OWNER_UPDATE_ATTRIBUTES = [
  SESSION_TABLE_KEY,
  'owner',
  'failures',
  'lockedUntil',
  'lockouts',
  'version',
  SESSION_TABLE_TTL_ATTRIBUTE,
] as const;

/** Failed sessions one owner item remembers at most (the newest win); twice the largest lockoutMaxFailures (contract/setting-rules.ts). */
export const MAX_TRACKED_FAILURES = 100;
