/**
 * The challenge a session runs, and the ServerSessionInformationEvent that describes it to the browser. The numbers are
 * the ones verified to pass with FaceLivenessDetector 3.6.x and a real face (shared BROWSER_E2E.md): every value must
 * be non-zero, or the component refuses the session.
 */
import { CHALLENGE_TYPES, type ChallengeType } from '../../../contract/liveness-model';

/** Versions the browser component speaks; it sends them as `challenge-versions=Type_x.y.z,...`. */
export const CHALLENGE_VERSIONS: Record<ChallengeType, string> = {
  FaceMovementAndLightChallenge: '2.0.0',
  FaceMovementChallenge: '1.0.0',
};

/** Video dimensions the oval below is laid out for; other sizes get a scaled oval. */
const BASE_WIDTH = 640;
const BASE_HEIGHT = 480;

const CHALLENGE_CONFIG = {
  BlazeFaceDetectionThreshold: 0.75,
  FaceDistanceThresholdMin: 0.4,
  FaceDistanceThreshold: 0.32,
  FaceDistanceThresholdMax: 0.4,
  OvalIouThreshold: 0.7,
  OvalHeightWidthRatio: 1.618,
  OvalIouWidthThreshold: 0.25,
  OvalIouHeightThreshold: 0.25,
  FaceIouWidthThreshold: 0.15,
  FaceIouHeightThreshold: 0.15,
  OvalFitTimeout: 7000,
} as const;

/** A short SEQUENTIAL colour sequence (about 2.5 s), in the shape the service sends. */
const COLOR_SEQUENCES = [
  { rgb: [0, 0, 0], downscroll: 0, flat: 300 },
  { rgb: [0, 255, 255], downscroll: 300, flat: 0 },
  { rgb: [255, 0, 0], downscroll: 300, flat: 0 },
  { rgb: [0, 255, 0], downscroll: 300, flat: 0 },
  { rgb: [0, 0, 255], downscroll: 300, flat: 0 },
  { rgb: [255, 255, 0], downscroll: 300, flat: 0 },
  { rgb: [255, 255, 255], downscroll: 300, flat: 100 },
  { rgb: [0, 0, 0], downscroll: 300, flat: 100 },
].map(({ rgb, downscroll, flat }) => ({
  FreshnessColor: { RGB: rgb },
  DownscrollDuration: downscroll,
  FlatDisplayDuration: flat,
}));

/**
 * Parses `FaceMovementAndLightChallenge_2.0.0,FaceMovementChallenge_1.0.0` into the types the client supports at the
 * version the session would run (`versions`; by default the ones the component speaks).
 */
export function parseChallengeVersions(
  value: string | null,
  versions: Readonly<Partial<Record<ChallengeType, string>>> = CHALLENGE_VERSIONS,
): ChallengeType[] {
  if (!value) return [];
  const supported: ChallengeType[] = [];
  for (const item of value.split(',')) {
    const [type, version] = item.trim().split('_');
    const known = CHALLENGE_TYPES.find((t) => t === type);
    if (known && versions[known] === version) supported.push(known);
  }
  return supported;
}

/**
 * The challenge to run: the session's first preference the client supports, else the service default
 * (FaceMovementAndLightChallenge) when the client supports it. Undefined when there is nothing in common.
 */
export function selectChallenge(
  preferences: readonly ChallengeType[],
  clientSupports: readonly ChallengeType[],
): ChallengeType | undefined {
  const ordered: ChallengeType[] =
    preferences.length > 0 ? [...preferences] : ['FaceMovementAndLightChallenge', 'FaceMovementChallenge'];
  return ordered.find((type) => clientSupports.includes(type));
}

/** The ServerSessionInformationEvent payload for a challenge and a video size. */
export function serverSessionInformation(
  type: ChallengeType,
  videoWidth = BASE_WIDTH,
  videoHeight = BASE_HEIGHT,
): Record<string, unknown> {
  const scale = Math.min(videoWidth / BASE_WIDTH, videoHeight / BASE_HEIGHT);
  const OvalParameters = {
    Width: Math.round(288 * scale),
    Height: Math.round(466 * scale),
    CenterX: Math.round(videoWidth / 2),
    CenterY: Math.round(videoHeight / 2),
  };
  const challenge =
    type === 'FaceMovementAndLightChallenge'
      ? {
          OvalParameters,
          LightChallengeType: 'SEQUENTIAL',
          ChallengeConfig: CHALLENGE_CONFIG,
          ColorSequences: COLOR_SEQUENCES,
        }
      : { OvalParameters, ChallengeConfig: CHALLENGE_CONFIG };
  return { SessionInformation: { Challenge: { [type]: challenge } } };
}

/** The ChallengeEvent the service sends alongside (the component ignores it; kept for fidelity). */
export function challengeEvent(type: ChallengeType, version = CHALLENGE_VERSIONS[type]): Record<string, unknown> {
  return { Type: type, Version: version };
}
