/**
 * Everything the person sees when a check does not go through, in plain words. Technical detail stays in the console.
 */
import {
  LivenessApiError,
  LivenessCredentialsError,
  LivenessError,
  LivenessNetworkError,
  LivenessTimeoutError,
} from '../../client';
import type { FeedbackCode, NotLiveReason } from '../../client';

/** One piece of advice per Rekognition feedback code (contract/liveness-model.ts FEEDBACK_CODES). */
export const FEEDBACK_ADVICE: Record<FeedbackCode, string> = {
  FACE_NOT_VISIBLE: 'Keep your whole face in view, inside the oval, from start to finish.',
  FACE_OBSTRUCTION_DETECTED: 'Remove anything covering your face: glasses, a mask, a hat or your hand.',
  LOW_VIDEO_QUALITY_DETECTED: 'Clean your camera lens and hold your device steady.',
  FACE_NOT_ALIGNED: 'Look straight at the camera and keep your face centred in the oval.',
  EYES_CLOSED_DETECTED: 'Keep your eyes open during the check.',
  LOW_LIGHTING_DETECTED: 'Find more light: face a window or a lamp.',
  HIGH_LIGHTING_DETECTED: 'Avoid strong light on your face or right behind you.',
};

/** Why a finished check is not live, for the person (the server's `message` is meant for developers). */
export const REASON_TEXT: Record<NotLiveReason, string> = {
  LOW_CONFIDENCE: 'We could not confirm that you are a live person in front of the camera.',
  MISSING_REFERENCE_IMAGE: 'We did not get a clear picture of your face.',
  SESSION_FAILED: 'The check did not finish.',
  SESSION_EXPIRED: 'The check took too long and expired.',
  CHALLENGE_NOT_ALLOWED: 'The check ran in a way this service does not accept.',
  CHALLENGE_VERSION_TOO_OLD: 'The check ran on an older version than this service accepts: update the app.',
  CHALLENGE_MISSING: 'The check ran in a way this service does not accept.',
};

/** What the error screen shows. `code` is stable, for support and tests; never shown raw. */
export interface Problem {
  readonly code: string;
  readonly title: string;
  readonly message: string;
  /** Whether "Try again" (a new session) can help. */
  readonly retry: boolean;
}

/** What FaceLivenessDetector's onError receives (its LivenessError), kept structural so this file has no UI imports. */
export interface DetectorError {
  readonly state: string;
  readonly error?: { readonly name?: string; readonly message?: string };
}

export function describeDetectorError({ state, error }: DetectorError): Problem {
  const name = error?.name ?? '';
  const detail = error?.message ?? '';
  switch (state) {
    case 'CAMERA_ACCESS_ERROR':
    case 'DEFAULT_CAMERA_NOT_FOUND_ERROR':
      return {
        code: 'CAMERA_ACCESS',
        title: 'We can’t use your camera',
        message:
          'Allow camera access for this site in your browser’s settings (and close other apps using the camera), then try again.',
        retry: true,
      };
    case 'CAMERA_FRAMERATE_ERROR':
      return {
        code: 'CAMERA_FRAMERATE',
        title: 'Your camera is too slow',
        message: 'The check needs a camera that records at least 15 frames per second. Try another camera or device.',
        retry: true,
      };
    case 'MOBILE_LANDSCAPE_ERROR':
      return {
        code: 'LANDSCAPE',
        title: 'Turn your device upright',
        message: 'The check works in portrait orientation only.',
        retry: true,
      };
    case 'TIMEOUT':
    case 'FRESHNESS_TIMEOUT':
      return {
        code: 'FACE_FIT_TIMEOUT',
        title: 'Time ran out',
        message: 'Your face did not fill the oval in time. Move closer, keep your face inside the oval, and try again.',
        retry: true,
      };
    case 'FACE_DISTANCE_ERROR':
      return {
        code: 'FACE_TOO_CLOSE',
        title: 'You started too close',
        message: 'Hold the camera at arm’s length before the check starts, then move closer when asked.',
        retry: true,
      };
    case 'MULTIPLE_FACES_ERROR':
      return {
        code: 'MULTIPLE_FACES',
        title: 'More than one face',
        message: 'Make sure only your face is in view.',
        retry: true,
      };
    case 'CONNECTION_TIMEOUT':
      return {
        code: 'CONNECTION_TIMEOUT',
        title: 'We couldn’t connect',
        message: 'The connection to the verification service timed out. Check your internet connection and try again.',
        retry: true,
      };
    case 'SERVER_ERROR':
      return describeServerError(name, detail);
    default:
      return {
        code: 'RUNTIME_ERROR',
        title: 'Something went wrong',
        message: 'The check stopped unexpectedly. Try again; if it keeps happening, try another browser.',
        retry: true,
      };
  }
}

function describeServerError(name: string, detail: string): Problem {
  if (name === 'SessionNotFoundException' || /expired|already been used|not found/i.test(detail)) {
    return {
      code: 'SESSION_UNUSABLE',
      title: 'This check is no longer valid',
      message: 'Each check can be used only once, within 3 minutes. Start a new check.',
      retry: true,
    };
  }
  if (/valid region/i.test(detail)) {
    return {
      code: 'WRONG_REGION',
      title: 'The service is not set up correctly',
      message: 'The app and the verification service are in different AWS regions. Please contact support.',
      retry: false,
    };
  }
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException') {
    return {
      code: 'BUSY',
      title: 'The service is busy',
      message: 'Too many checks are running right now. Wait a moment and try again.',
      retry: true,
    };
  }
  return {
    code: 'STREAM_INTERRUPTED',
    title: 'The connection was interrupted',
    message: 'We lost the connection to the verification service during the check. Try again.',
    retry: true,
  };
}

/** Errors from our own API (creating a session, fetching the result). */
export function describeRequestError(error: unknown): Problem {
  if (error instanceof LivenessApiError) {
    const support = error.requestId ? ` If you contact support, quote ${error.requestId}.` : '';
    switch (error.code) {
      case 'THROTTLED':
        return {
          code: 'API_THROTTLED',
          title: 'Too many attempts',
          message: 'Wait a minute, then try again.',
          retry: true,
        };
      case 'LOCKED_OUT': {
        // Retry-After is seconds; people think in minutes.
        const minutes =
          error.retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
        const wait = minutes === undefined ? 'later' : `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
        return {
          code: 'LOCKED_OUT',
          title: 'Too many failed checks',
          message: `For your security, checks are paused. Try again ${wait}.`,
          retry: false,
        };
      }
      case 'SERVICE_UNAVAILABLE':
      case 'UPSTREAM_TIMEOUT':
        return {
          code: 'API_UNAVAILABLE',
          title: 'The service is busy',
          message: 'Try again in a moment.',
          retry: true,
        };
      case 'SESSION_NOT_FOUND':
      case 'NOT_FOUND':
        return {
          code: 'SESSION_UNUSABLE',
          title: 'This check is no longer valid',
          message: 'Start a new check.',
          retry: true,
        };
      case 'INVALID_SIGNATURE':
      case 'CREDENTIALS_EXPIRED':
        // The browser signs with its own clock: a clock minutes off is the usual cause of both.
        return {
          code: error.code === 'INVALID_SIGNATURE' ? 'API_SIGNATURE' : 'CREDENTIALS_EXPIRED',
          title: 'The service could not verify this device',
          message: `Try again. If this keeps happening, set this device's date and time to update automatically.${support}`,
          retry: true,
        };
      case 'UNAUTHORIZED':
      case 'FORBIDDEN':
        return {
          code: 'API_FORBIDDEN',
          title: 'Not allowed',
          message: `This app is not allowed to start a check right now.${support}`,
          retry: false,
        };
      default:
        return {
          code: 'API_ERROR',
          title: 'Something went wrong on our side',
          message: `The verification service could not handle the request.${support}`,
          retry: error.retryable || error.status >= 500,
        };
    }
  }
  if (error instanceof LivenessTimeoutError) {
    return {
      code: 'RESULT_TIMEOUT',
      title: 'No result yet',
      message: 'The result took too long to arrive. Start a new check.',
      retry: true,
    };
  }
  if (error instanceof LivenessNetworkError) {
    return {
      code: 'NETWORK',
      title: 'We can’t reach the service',
      message: 'Check your internet connection and try again.',
      retry: true,
    };
  }
  if (error instanceof LivenessCredentialsError) {
    return {
      code: 'CREDENTIALS',
      title: 'We couldn’t get permission to start',
      message: error.retryable ? 'Try again in a moment.' : 'The app is not set up correctly. Please contact support.',
      retry: error.retryable,
    };
  }
  if (error instanceof LivenessError) {
    return { code: 'CLIENT_ERROR', title: 'Something went wrong', message: 'Start a new check.', retry: true };
  }
  return { code: 'UNEXPECTED', title: 'Something went wrong', message: 'Reload the page and try again.', retry: true };
}
