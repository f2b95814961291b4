import type { LivenessMessages } from './types';

export const en: LivenessMessages = {
  startTitle: 'Check that it’s really you',
  startIntro: 'We’ll use your camera for a few seconds to confirm that a live person is in front of it.',
  tipLight: 'Find a well-lit place and face the light.',
  tipAccessories: 'Remove sunglasses, masks or hats.',
  tipDistance: 'Hold your device at arm’s length, then move closer when asked to fill the oval.',
  tipFlashes: 'The screen will flash colours: if you are sensitive to flashing lights, ask for another way to verify.',
  startButton: 'Start check',
  preparing: 'Preparing your check…',
  verifying: 'Checking the result…',
  verifiedTitle: 'You’re verified',
  verifiedMessage: 'Thanks, the check is complete.',
  notVerifiedTitle: 'We couldn’t verify you',
  notVerifiedMessage: 'The check did not pass.',
  adviceTitle: 'Before you try again',
  retryButton: 'Try again',
  feedback: {
    FACE_NOT_VISIBLE: 'Keep your whole face in view, inside the oval, from start to finish.',
    FACE_OBSTRUCTION_DETECTED: 'Remove anything covering your face: glasses, a mask, a hat or your hand.',
    LOW_VIDEO_QUALITY_DETECTED: 'Clean your camera lens and hold your device steady.',
    FACE_NOT_ALIGNED: 'Look straight at the camera and keep your face centred in the oval.',
    EYES_CLOSED_DETECTED: 'Keep your eyes open during the check.',
    LOW_LIGHTING_DETECTED: 'Find more light: face a window or a lamp.',
    HIGH_LIGHTING_DETECTED: 'Avoid strong light on your face or right behind you.',
  },
  reasons: {
    LOW_CONFIDENCE: 'We could not confirm that you are a live person in front of the camera.',
    MISSING_REFERENCE_IMAGE: 'We did not get a clear picture of your face.',
    SESSION_FAILED: 'The check did not finish.',
    SESSION_EXPIRED: 'The check took too long and expired.',
    CHALLENGE_NOT_ALLOWED: 'The check ran in a way this service does not accept.',
    CHALLENGE_VERSION_TOO_OLD: 'The check ran on an older version than this service accepts: update the app.',
    CHALLENGE_MISSING: 'The check ran in a way this service does not accept.',
  },
  problems: {
    CAMERA_ACCESS: {
      title: 'We can’t use your camera',
      message:
        'Allow camera access for this site in your browser’s settings (and close other apps using the camera), then try again.',
    },
    CAMERA_FRAMERATE: {
      title: 'Your camera is too slow',
      message: 'The check needs a camera that records at least 15 frames per second. Try another camera or device.',
    },
    LANDSCAPE: { title: 'Turn your device upright', message: 'The check works in portrait orientation only.' },
    FACE_FIT_TIMEOUT: {
      title: 'Time ran out',
      message: 'Your face did not fill the oval in time. Move closer, keep your face inside the oval, and try again.',
    },
    FACE_TOO_CLOSE: {
      title: 'You started too close',
      message: 'Hold the camera at arm’s length before the check starts, then move closer when asked.',
    },
    MULTIPLE_FACES: { title: 'More than one face', message: 'Make sure only your face is in view.' },
    CONNECTION_TIMEOUT: {
      title: 'We couldn’t connect',
      message: 'The connection to the verification service timed out. Check your internet connection and try again.',
    },
    RUNTIME_ERROR: {
      title: 'Something went wrong',
      message: 'The check stopped unexpectedly. Try again; if it keeps happening, try another browser.',
    },
    SESSION_UNUSABLE: {
      title: 'This check is no longer valid',
      message: 'Each check can be used only once, within 3 minutes. Start a new check.',
    },
    WRONG_REGION: {
      title: 'The service is not set up correctly',
      message: 'The app and the verification service are in different AWS regions. Please contact support.',
    },
    BUSY: {
      title: 'The service is busy',
      message: 'Too many checks are running right now. Wait a moment and try again.',
    },
    STREAM_INTERRUPTED: {
      title: 'The connection was interrupted',
      message: 'We lost the connection to the verification service during the check. Try again.',
    },
    CHALLENGE_UNAVAILABLE: {
      title: 'This kind of check is not available',
      message: 'The verification service does not offer the check this app asked for. Please contact support.',
    },
    API_THROTTLED: { title: 'Too many attempts', message: 'Wait a minute, then try again.' },
    LOCKED_OUT: { title: 'Too many failed checks', message: 'For your security, checks are paused. Try again later.' },
    API_UNAVAILABLE: { title: 'The service is busy', message: 'Try again in a moment.' },
    API_SIGNATURE: {
      title: 'The service could not verify this device',
      message: 'Try again. If this keeps happening, set this device’s date and time to update automatically.',
    },
    CREDENTIALS_EXPIRED: {
      title: 'The service could not verify this device',
      message: 'Try again. If this keeps happening, set this device’s date and time to update automatically.',
    },
    API_FORBIDDEN: { title: 'Not allowed', message: 'This app is not allowed to start a check right now.' },
    API_ERROR: {
      title: 'Something went wrong on our side',
      message: 'The verification service could not handle the request.',
    },
    RESULT_TIMEOUT: { title: 'No result yet', message: 'The result took too long to arrive. Start a new check.' },
    NETWORK: { title: 'We can’t reach the service', message: 'Check your internet connection and try again.' },
    CREDENTIALS: { title: 'We couldn’t get permission to start', message: 'Try again in a moment.' },
    CREDENTIALS_MISCONFIGURED: {
      title: 'We couldn’t get permission to start',
      message: 'The app is not set up correctly. Please contact support.',
    },
    CLIENT_ERROR: { title: 'Something went wrong', message: 'Start a new check.' },
    UNEXPECTED: { title: 'Something went wrong', message: 'Reload the page and try again.' },
  },
  lockedOut: (minutes) =>
    `For your security, checks are paused. Try again ${
      minutes === undefined ? 'later' : `in ${minutes} minute${minutes === 1 ? '' : 's'}`
    }.`,
  supportReference: (requestId) => `If you contact support, quote ${requestId}.`,
};
