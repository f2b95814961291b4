/**
 * The session table's schema: one DynamoDB table, one string partition key `pk`, three kinds of item told apart by the
 * key's prefix. The handlers read and write it, the construct builds the table and its IAM conditions from it, and
 * other services of an app read verdicts with it (README: "The verdict record").
 *
 * `owner` is never an identity id, an IP address or anything else a caller authenticates with: it is the owner
 * reference, a keyed hash (HMAC-SHA256 under the deployment's OWNER_REF_KEY) of how API Gateway identified the caller
 * (lambda/shared/identity.ts). Nothing in the table yields credentials, and only the handlers can compute a reference.
 *
 * Session item, `pk` = `SESSION#<sessionId>`, written once at creation (by the create-session function):
 *   sessionId (S), owner (S: the owner reference), createdAt (S, ISO-8601), expiresAt (S, ISO-8601: the 3-minute
 *   life), ttl (N, epoch s: after it the handlers treat the item as gone, whatever TTL deletion has done yet), nonce
 *   (S, only when the create request carried one: echoed in the attestation).
 * Then, once, when a result read first sees a terminal status (by the get-result function, conditionally):
 *   status (S: SUCCEEDED | FAILED | EXPIRED), isLive (BOOL), reason (S, only when not live), threshold (N: the
 *   confidence threshold the verdict was decided with), feedback (L of S: Rekognition's feedback codes), decidedAt (S),
 *   challengeType and challengeVersion (S, the challenge Rekognition reported the session ran, when it reported one),
 *   decidedFor (S: the owner reference the verdict was decided for, which must equal `owner`), attestationId (S: the
 *   `jti` of the verdict's one attestation) and attestationExpiresAt (N: its `exp`, epoch seconds).
 * The confidence score is deliberately not stored: the verdict and the threshold it was decided with are what a
 * consumer needs, and a score kept for 30 days is biometric-derived data nobody asked to keep.
 *
 * Consumption item, `pk` = `CONSUMED#<sessionId>`, put at most once by an app's backend that accepts the verdict
 * (client/consume-verdict.ts, conditional on the item being new): consumedAt (S), ttl (N). Its existence is the
 * consumption; it lives apart from the session item so that the consumer's grant cannot touch a verdict. (Records
 * written before consumption items existed may carry consumedAt (S) on the session item: it is honoured too.)
 *
 * With identity verification (contract/identity.ts) a session item bound to an identity check also carries, from its
 * creation: identityCheck (S: the check's id), identityMethod and identitySubject (S: copied from the check, so the
 * verdict names them even if the check is erased first); and its verdict: identityMatched (BOOL), identityReason (S,
 * when not matched) and identityThreshold (N). No similarity, face id or image is ever stored.
 *
 * Check item, `pk` = `CHECK#<checkId>` (checkId: SHA-256 of the check token, base64url; the table never holds the
 * token), put once by the identity function, bound once by the create-session function, deleted by the result
 * function once the verdict is decided (or at erasure): checkId, subject (S: the app's id), subjectRef (S: its keyed
 * reference), method, threshold (N), photoBucket, photoKey, photoVersion (S, `reference` only), photoStored (BOOL: the
 * photo is a copy this backend stored, deleted with the check), createdAt (S), expiresAt (N, epoch s: bind before),
 * ttl (N), and from binding: sessionId (S), boundAt (S).
 *
 * Subject item, `pk` = `SUBJECT#<subjectRef>`, the subject's enrolment and open checks (identity and result functions):
 * subjectRef (S), faceIds (SS: its enrolled faces, one), enrolledAt (S), checks (SS: ids of its checks). No ttl: an
 * enrolment lives until the subject is erased (DELETE /identity/subjects/{subject}).
 *
 * Owner item, `pk` = `OWNER#<owner>`, the failure lockout of one owner reference (get-result writes it,
 * create-session only reads `lockedUntil`):
 *   owner (S), failures (M: sessionId → N, epoch ms of each failed verdict in the current window), lockedUntil (N,
 *   epoch ms), lockouts (N: lockouts in a row, for the backoff), version (N: optimistic-locking counter), ttl (N).
 */

/** The table's only key attribute: a string partition key, no sort key. */
export const SESSION_TABLE_KEY = 'pk';
/** The DynamoDB TTL attribute (epoch seconds) of both kinds of item. */
export const SESSION_TABLE_TTL_ATTRIBUTE = 'ttl';

export const SESSION_KEY_PREFIX = 'SESSION#';
export const OWNER_KEY_PREFIX = 'OWNER#';
export const CONSUMED_KEY_PREFIX = 'CONSUMED#';
export const CHECK_KEY_PREFIX = 'CHECK#';
export const SUBJECT_KEY_PREFIX = 'SUBJECT#';

export const sessionKey = (sessionId: string): string => `${SESSION_KEY_PREFIX}${sessionId}`;
export const ownerKey = (owner: string): string => `${OWNER_KEY_PREFIX}${owner}`;
export const consumedKey = (sessionId: string): string => `${CONSUMED_KEY_PREFIX}${sessionId}`;
export const checkKey = (checkId: string): string => `${CHECK_KEY_PREFIX}${checkId}`;
export const subjectKey = (subjectRef: string): string => `${SUBJECT_KEY_PREFIX}${subjectRef}`;

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
  'nonce',
] as const;

/** What the create-session function adds to a session item bound to an identity check (identity verification on). */
export const SESSION_IDENTITY_ATTRIBUTES = ['identityCheck', 'identityMethod', 'identitySubject'] as const;

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
  'attestationId',
  'attestationExpiresAt',
] as const;

/** What the get-result function adds to the verdict of a session bound to an identity check. */
export const VERDICT_IDENTITY_ATTRIBUTES = ['identityMatched', 'identityReason', 'identityThreshold'] as const;

/**
 * What the get-result function may name in an update of a session item: the key (which no UpdateItem can change) and
 * the verdict it sets. IAM cannot tell an attribute named in a condition from one that is set, so the update's
 * condition names only these too (`attribute_exists(pk) AND attribute_not_exists(decidedAt)`), never `owner`. The
 * create role can write `owner`, so the verdict carries its own copy (`decidedFor`): a verdict read back with another
 * owner is refused as malformed, never handed to that owner.
 */
export const VERDICT_UPDATE_ATTRIBUTES = [SESSION_TABLE_KEY, ...VERDICT_ATTRIBUTES] as const;

/**
 * What an app's backend may name when it consumes a verdict (client/consume-verdict.ts): one PutItem of a consumption
 * item, conditional on its key being new. Nothing of a session item: the grant cannot change what a verdict is read
 * from, nor remove a consumption (no UpdateItem, no DeleteItem). Order matters to that helper.
 */
export const CONSUME_ATTRIBUTES = [SESSION_TABLE_KEY, 'consumedAt', SESSION_TABLE_TTL_ATTRIBUTE] as const;

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

/** What the create-session function may read of a check item (to bind it): nothing of its photo. */
export const CHECK_BIND_READ_ATTRIBUTES = [SESSION_TABLE_KEY, 'method', 'subject', 'expiresAt', 'sessionId'] as const;

/** What the create-session function may name when it binds a check (conditional on it being unbound). */
export const CHECK_BIND_ATTRIBUTES = [SESSION_TABLE_KEY, 'expiresAt', 'sessionId', 'boundAt'] as const;

/** Every attribute of a check item, as the identity function puts it. */
export const CHECK_ATTRIBUTES = [
  SESSION_TABLE_KEY,
  'checkId',
  'subject',
  'subjectRef',
  'method',
  'threshold',
  'photoBucket',
  'photoKey',
  'photoVersion',
  'photoStored',
  'createdAt',
  'expiresAt',
  SESSION_TABLE_TTL_ATTRIBUTE,
] as const;

/** Every attribute of a subject item. */
export const SUBJECT_ATTRIBUTES = [SESSION_TABLE_KEY, 'subjectRef', 'faceIds', 'enrolledAt', 'checks'] as const;

/** What the identity and result functions name when they add a check to, or take one off, a subject's list. */
export const SUBJECT_CHECKS_ATTRIBUTES = [SESSION_TABLE_KEY, 'subjectRef', 'checks'] as const;

/** What the result function names when it records a subject's enrolled face (returning the face it replaces). */
export const SUBJECT_ENROLMENT_ATTRIBUTES = [SESSION_TABLE_KEY, 'subjectRef', 'faceIds', 'enrolledAt'] as const;
