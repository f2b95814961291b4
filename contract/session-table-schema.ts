/**
 * The session table's schema: one DynamoDB table, one string partition key `pk`, two kinds of item told apart by the
 * key's prefix. The handlers read and write it, the construct builds the table and its IAM conditions from it, and
 * other services of an app read verdicts with it (README: "The verdict record").
 *
 * Session item, `pk` = `SESSION#<sessionId>`, written once at creation (by the create-session function):
 *   sessionId (S), owner (S), createdAt (S, ISO-8601), expiresAt (S, ISO-8601: the 3-minute life), ttl (N, epoch s).
 * Then, once, when a result read first sees a terminal status (by the get-result function, conditionally):
 *   status (S: SUCCEEDED | FAILED | EXPIRED), isLive (BOOL), reason (S, only when not live), threshold (N: the
 *   confidence threshold the verdict was decided with), feedback (L of S: Rekognition's feedback codes), decidedAt (S).
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
 * Every attribute the create-session function writes. The construct allows its PutItem on exactly these (IAM
 * `dynamodb:Attributes`), so that function can never write a verdict, even if compromised.
 */
export const SESSION_CREATE_ATTRIBUTES = [SESSION_TABLE_KEY, 'sessionId', 'owner', 'createdAt', 'expiresAt', SESSION_TABLE_TTL_ATTRIBUTE] as const;

/** Failed sessions one owner item remembers at most (the newest win); twice the largest lockoutMaxFailures (contract/setting-rules.ts). */
export const MAX_TRACKED_FAILURES = 100;
