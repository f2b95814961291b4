/**
 * The server's challenge policy (finding 2 of the verdict-integrity review): the client may only ask for a challenge
 * the operator allows, and a result is live only when the challenge Rekognition reports having run is allowed and,
 * when a minimum version is set, at least that version. A result that reports no challenge is not live.
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
  const versions = policy.minVersion !== undefined ? { Versions: { Minimum: policy.minVersion } } : {};
  return (requested !== undefined ? [requested] : policy.allowed).map((Type) => ({ Type, ...versions }));
}

/** Why the reported challenge makes a result not live, or undefined when it is within the policy. */
export function challengeReason(
  reported: GetFaceLivenessSessionResultsResponse['Challenge'],
  policy: ChallengePolicy,
): NotLiveReason | undefined {
  if (reported?.Type === undefined || reported.Version === undefined || reported.Version === '')
    return 'CHALLENGE_MISSING';
  if (!(policy.allowed as readonly string[]).includes(reported.Type)) return 'CHALLENGE_NOT_ALLOWED';
  if (policy.minVersion !== undefined && !(compareChallengeVersions(reported.Version, policy.minVersion) >= 0))
    return 'CHALLENGE_NOT_ALLOWED';
  return undefined;
}
