export { startRekognitionEmulator } from './emulator';
export type { RekognitionEmulator, RekognitionEmulatorOptions, StreamingSessionDirectory } from './emulator';
export type { EmulatorS3Options } from './s3-sink';
export { DirectImageSink } from './s3-sink';
export { ControlError } from './outcomes';
export type { OutcomeSpec, SessionDefaults, DefaultsPatch, FeedbackSpec, OutcomeStatus } from './outcomes';
export type { FaultSettings, OperationFaults, FailNextOptions, LivenessOperation } from './faults';
export {
  EMULATED_OPERATIONS,
  FACE_OPERATIONS,
  LIVENESS_OPERATIONS,
  type EmulatedOperation,
  type FaceOperation,
} from './operations';
export { idPhoto, type IdPhotoFace, type IdPhotoOptions } from './id-photo';
export {
  CAMERA_SUBJECTS,
  DIFFERENT_PEOPLE_BELOW,
  PERSON_IDS,
  SAME_PERSON_SIMILARITY,
  type CameraSubject,
  type PersonId,
} from './people';
export type { CollectionView } from './collections';
export type { SessionView } from './emulated-sessions';
export { imageKeys } from './emulated-sessions';
export { CONTROL_PREFIX, CONTROL_ROUTES } from './control-api';
export { FAULT_ERRORS, type FaultErrorName } from './service-errors';
