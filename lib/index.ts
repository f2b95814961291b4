/**
 * face-liveness-backend: an AWS CDK construct for Amazon Rekognition Face Liveness. The construct and its props are
 * the whole public API of this entry point; the typed browser/Node client is the separate `face-liveness-backend/client`.
 */
export { FaceLivenessBackend } from './face-liveness-backend';
export {
  ImageEncryption,
  LivenessAuthorization,
  LivenessChallenge,
  type LivenessAttestationOptions,
  type LivenessChallengeOptions,
  type FaceLivenessBackendProps,
  type LivenessAlarmThresholds,
  type LivenessMonitoringOptions,
  type LivenessFirewallOptions,
  type LivenessFunctionOptions,
  type LivenessJwksFunctionOptions,
  type LivenessChallengeMinVersions,
  type LivenessImageOptions,
  type LivenessLockoutOptions,
  type LivenessStageOptions,
} from './props';
export { FaceLivenessValidationError, type FaceLivenessProblem } from './errors';
export { LivenessMonitoring, type LivenessMonitoringProps } from './monitoring';
