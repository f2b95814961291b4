/**
 * Input checks of the two control-plane operations, in the order the service applies them: a JSON type mismatch is a
 * SerializationException (the request cannot be read at all); a constraint violation is reported, all violations in one
 * message in the AWS wording ("N validation errors detected: Value 'x' at 'member' failed to satisfy constraint: ..."),
 * as InvalidParameterException (or ValidationException when the emulator is told to, see `validationErrorType`).
 */
import { AwsError } from './service-errors';
import {
  AUDIT_IMAGES_LIMIT,
  CHALLENGE_TYPES,
  CHALLENGE_VERSION,
  CLIENT_REQUEST_TOKEN,
  compareVersions,
  KMS_KEY_ID,
  S3_BUCKET,
  S3_KEY_PREFIX,
  SESSION_ID,
  SUPPORTED_CHALLENGE_VERSIONS,
  type ChallengeType,
} from './constraints';

export type ValidationErrorType = 'InvalidParameterException' | 'ValidationException';

export interface ChallengeChoice {
  readonly Type: ChallengeType;
  readonly Version: string;
}

export interface CreateSessionInput {
  readonly clientRequestToken?: string;
  readonly kmsKeyId?: string;
  readonly outputConfig?: { readonly bucket: string; readonly keyPrefix: string };
  /** Already clamped to 0..4 as the reference prose says. */
  readonly auditImagesLimit: number;
  /** The challenge the session will use, chosen from ChallengePreferences. */
  readonly challenge: ChallengeChoice;
  /** ChallengePreferences types in order (empty: the service default), for a streaming emulator. */
  readonly challengePreferences: readonly ChallengeType[];
}

type Json = Record<string, unknown>;

/** Constraint violations of one request, reported together in the AWS wording. */
export class Violations {
  private readonly items: string[] = [];

  get count(): number {
    return this.items.length;
  }

  add(value: unknown, path: string, constraint: string): void {
    this.items.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  throwIfAny(errorType: ValidationErrorType): void {
    const n = this.items.length;
    if (n === 0) return;
    throw new AwsError(errorType, `${n} validation error${n === 1 ? '' : 's'} detected: ${this.items.join('; ')}`);
  }
}

function show(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  // The service prints a blob as the Java buffer holding it.
  if (value instanceof Uint8Array) return `'java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]'`;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.length > 120 ? `${text.slice(0, 120)}...` : text}'`;
}

export function serialization(message: string): AwsError {
  return new AwsError('SerializationException', message);
}

/** Reads an optional member of the JSON type `kind`; null counts as absent, as in the AWS JSON protocol. */
export function member(obj: Json, name: string, kind: 'string' | 'number' | 'object' | 'array'): unknown {
  const value = obj[name];
  if (value === undefined || value === null) return undefined;
  const actual = Array.isArray(value) ? 'array' : typeof value;
  if (actual !== kind) {
    throw serialization(`Member '${name}' must be a JSON ${kind}, got ${actual}`);
  }
  return value;
}

export function checkString(
  v: Violations,
  value: string,
  path: string,
  rule: { minLength?: number; maxLength?: number; pattern?: RegExp },
): void {
  if (rule.minLength !== undefined && value.length < rule.minLength) {
    v.add(value, path, `Member must have length greater than or equal to ${rule.minLength}`);
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    v.add(value, path, `Member must have length less than or equal to ${rule.maxLength}`);
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    v.add(value, path, `Member must satisfy regular expression pattern: ${rule.pattern.source}`);
  }
}

/** Parses the request body text: anything but a JSON object cannot be deserialized. */
export function parseJsonObject(text: string): Json {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw serialization('Request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw serialization('Request body must be a JSON object');
  }
  return parsed as Json;
}

interface Preference {
  readonly type: ChallengeType;
  readonly minimum?: string;
  readonly maximum?: string;
}

export function validateCreateRequest(body: Json, errorType: ValidationErrorType): CreateSessionInput {
  const v = new Violations();
  const token = member(body, 'ClientRequestToken', 'string') as string | undefined;
  if (token !== undefined) checkString(v, token, 'clientRequestToken', CLIENT_REQUEST_TOKEN);
  const kmsKeyId = member(body, 'KmsKeyId', 'string') as string | undefined;
  if (kmsKeyId !== undefined) checkString(v, kmsKeyId, 'kmsKeyId', KMS_KEY_ID);

  const settings = (member(body, 'Settings', 'object') as Json | undefined) ?? {};
  let outputConfig: CreateSessionInput['outputConfig'];
  const output = member(settings, 'OutputConfig', 'object') as Json | undefined;
  if (output !== undefined) {
    const bucket = member(output, 'S3Bucket', 'string') as string | undefined;
    const keyPrefix = (member(output, 'S3KeyPrefix', 'string') as string | undefined) ?? '';
    if (bucket === undefined) v.add(undefined, 'settings.outputConfig.s3Bucket', 'Member must not be null');
    else checkString(v, bucket, 'settings.outputConfig.s3Bucket', S3_BUCKET);
    checkString(v, keyPrefix, 'settings.outputConfig.s3KeyPrefix', S3_KEY_PREFIX);
    outputConfig = { bucket: bucket ?? '', keyPrefix };
  }

  let auditImagesLimit = 0;
  const limit = member(settings, 'AuditImagesLimit', 'number') as number | undefined;
  if (limit !== undefined) {
    if (!Number.isInteger(limit)) {
      v.add(limit, 'settings.auditImagesLimit', 'Member must be an integer');
    } else if (!Number.isSafeInteger(limit)) {
      throw serialization(`Value ${limit} of 'AuditImagesLimit' is out of range for an Integer`);
    } else {
      // The reference prose: "Any integer less than 0 will return 0, any integer above 4 will return 4 images".
      auditImagesLimit = Math.min(AUDIT_IMAGES_LIMIT.max, Math.max(AUDIT_IMAGES_LIMIT.min, limit));
    }
  }

  const preferences: Preference[] = [];
  const prefs = member(settings, 'ChallengePreferences', 'array') as unknown[] | undefined;
  (prefs ?? []).forEach((item, index) => {
    const path = `settings.challengePreferences.${index + 1}.member`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw serialization(`Each ChallengePreferences item must be a JSON object`);
    }
    const pref = item as Json;
    const type = member(pref, 'Type', 'string') as string | undefined;
    const versions = (member(pref, 'Versions', 'object') as Json | undefined) ?? {};
    const minimum = member(versions, 'Minimum', 'string') as string | undefined;
    const maximum = member(versions, 'Maximum', 'string') as string | undefined;
    let ok = true;
    if (type === undefined) {
      v.add(undefined, `${path}.type`, 'Member must not be null');
      ok = false;
    } else if (!(CHALLENGE_TYPES as readonly string[]).includes(type)) {
      v.add(type, `${path}.type`, `Member must satisfy enum value set: [${CHALLENGE_TYPES.join(', ')}]`);
      ok = false;
    }
    for (const [name, value] of [
      ['minimum', minimum],
      ['maximum', maximum],
    ] as const) {
      if (value === undefined) continue;
      const before = v.count;
      checkString(v, value, `${path}.versions.${name}`, CHALLENGE_VERSION);
      if (v.count !== before) ok = false;
    }
    if (ok && minimum !== undefined && maximum !== undefined && compareVersions(minimum, maximum) > 0) {
      v.add(`${minimum} > ${maximum}`, `${path}.versions`, 'Minimum must not be greater than Maximum');
      ok = false;
    }
    if (ok) preferences.push({ type: type as ChallengeType, minimum, maximum });
  });

  v.throwIfAny(errorType);
  return {
    ...(token !== undefined && { clientRequestToken: token }),
    ...(kmsKeyId !== undefined && { kmsKeyId }),
    ...(outputConfig !== undefined && { outputConfig }),
    auditImagesLimit,
    challenge: chooseChallenge(preferences, errorType),
    challengePreferences: preferences.map((p) => p.type),
  };
}

/** The first preference (in order) the emulator can satisfy, at its newest allowed version. */
function chooseChallenge(preferences: readonly Preference[], errorType: ValidationErrorType): ChallengeChoice {
  const wanted: readonly Preference[] =
    preferences.length > 0 ? preferences : [{ type: 'FaceMovementAndLightChallenge' }];
  for (const pref of wanted) {
    const versions = (SUPPORTED_CHALLENGE_VERSIONS[pref.type] ?? []).filter(
      (version) =>
        (pref.minimum === undefined || compareVersions(version, pref.minimum) >= 0) &&
        (pref.maximum === undefined || compareVersions(version, pref.maximum) <= 0),
    );
    const newest = versions[versions.length - 1];
    if (newest !== undefined) return { Type: pref.type, Version: newest };
  }
  const offered = Object.entries(SUPPORTED_CHALLENGE_VERSIONS)
    .map(([type, versions]) => `${type} ${versions.join(', ')}`)
    .join('; ');
  throw new AwsError(errorType, `No supported challenge matches ChallengePreferences (supported: ${offered})`);
}

export function validateGetRequest(body: Json, errorType: ValidationErrorType): { sessionId: string } {
  const v = new Violations();
  const sessionId = member(body, 'SessionId', 'string') as string | undefined;
  if (sessionId === undefined) v.add(undefined, 'sessionId', 'Member must not be null');
  else {
    checkString(v, sessionId, 'sessionId', {
      minLength: SESSION_ID.length,
      maxLength: SESSION_ID.length,
      pattern: SESSION_ID.pattern,
    });
  }
  v.throwIfAny(errorType);
  return { sessionId: sessionId as string };
}
