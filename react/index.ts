/**
 * `face-liveness-backend/react`: the browser half of a face liveness check, over the typed client and Amplify's
 * FaceLivenessDetector. React, react-dom and @aws-amplify/ui-react-liveness are the app's (peer dependencies).
 */
export { FaceLivenessCheck } from './FaceLivenessCheck';
export type { DetectorConfig, FaceLivenessCheckProps, LivenessCredentialProvider } from './FaceLivenessCheck';
export { DEFAULT_RESULT_TIMEOUT_MS, useFaceLivenessCheck } from './use-face-liveness-check';
export type {
  DetectorBinding,
  FaceLivenessCheckController,
  FaceLivenessCheckState,
  SessionRequest,
  UseFaceLivenessCheckOptions,
} from './use-face-liveness-check';
export { describeDetectorError, describeRequestError } from './problems';
export type { DetectorError, LivenessProblem, RequestErrorContext } from './problems';
export { de, en, es, fr, LIVENESS_MESSAGES, PROBLEM_CODES, pt, resolveMessages } from './messages';
export type { LivenessMessages, LivenessMessagesOverride, ProblemCode, ProblemText } from './messages';
