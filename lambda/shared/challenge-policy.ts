/**
 * The server's challenge policy: the client may only ask for a challenge
 * the operator allows, and a result is live only when the challenge Rekognition reports having run is allowed and,
 * when a minimum version is set for that challenge type, at least that version. A result that reports no challenge is
 * not live. CreateFaceLivenessSession asks each type's minimum as its preference's Versions.Minimum.
 */
import type { ChallengePreference, GetFaceLivenessSessionResultsResponse } from '@aws-sdk/client-rekognition';
import type { NotLiveReason } from '../../contract/api-types';
import { compareChallengeVersions, type ChallengeType } from '../../contract/liveness-model';
import type { ChallengePolicy } from './config';
import { ApiError } from './errors';

/** ChallengePreferences for CreateFaceLivenessSession: the requested challenge, or every allowed one, preferred first. */
export function challengePreferences(
  requested: ChallengeType | undefined,
  policy: ChallengePolicy,
): ChallengePreference[] {
  if (requested !== undefined && !policy.allowed.includes(requested)) {
    throw new ApiError(
      'VALIDATION_ERROR',
      `Invalid request body: challenge ${requested} is not allowed by this backend; allowed: ${policy.allowed.join(', ')}.`,
    );
  }
  return (requested !== undefined ? [requested] : policy.allowed).map((Type) => {
    const minimum = policy.minVersions?.[Type];
    return minimum !== undefined ? { Type, Versions: { Minimum: minimum } } : { Type };
  });
}

/** Why the reported challenge makes a result not live, or undefined when it is within the policy. */
export function challengeReason(
  reported: GetFaceLivenessSessionResultsResponse['Challenge'],
  policy: ChallengePolicy,
): NotLiveReason | undefined {
  if (reported?.Type === undefined || reported.Version === undefined || reported.Version === '')
    return 'CHALLENGE_MISSING';
  if (!(policy.allowed as readonly string[]).includes(reported.Type)) return 'CHALLENGE_NOT_ALLOWED';
  const minimum = policy.minVersions?.[reported.Type as ChallengeType];
  // NaN (a version that is not major.minor.patch) is not at least the minimum either.
  if (minimum !== undefined && !(compareChallengeVersions(reported.Version, minimum) >= 0))
    return 'CHALLENGE_VERSION_TOO_OLD';
  return undefined;
}
