// Stands in for @mediapipe/face_detection, whose script has no ES exports. The liveness detector runs the face model
// on the TensorFlow.js runtime and never constructs this class.
export class FaceDetection {
  constructor() {
    throw new Error('The MediaPipe runtime is not bundled: use the TensorFlow.js runtime (tfjs).');
  }
}
