/**
 * Connects the streaming emulator to the Rekognition control-plane emulator (local/emulators/rekognition): the stream reads the
 * session that CreateFaceLivenessSession made, and moves it on so GetFaceLivenessSessionResults reports the outcome
 * scripted for it.
 */
import type { RekognitionEmulator } from '../rekognition';
import type { SessionDirectory } from './protocol';

/** What the Amplify liveness component reports itself as (Metadata.SDKType in the results). */
const SDK_TYPE = 'AmplifyUI-Liveness';

export function sessionDirectoryFor(emulator: Pick<RekognitionEmulator, 'sessions'>, region: string): SessionDirectory {
  return {
    get(sessionId) {
      const view = emulator.sessions.get(sessionId);
      if (!view) return undefined;
      return {
        sessionId: view.sessionId,
        status: view.status,
        createdAt: Date.parse(view.createdAt),
        region,
        // The control plane already chose the challenge from the session's ChallengePreferences.
        challengePreferences: [view.challenge.Type],
        challengeVersions: { [view.challenge.Type]: view.challenge.Version },
      };
    },
    markStreaming(sessionId) {
      emulator.sessions.markStreaming(sessionId, { sdkType: SDK_TYPE });
    },
    complete(sessionId) {
      // The terminal status is set synchronously; only the images are written afterwards.
      emulator.sessions.complete(sessionId).catch(() => undefined);
    },
    fail(sessionId) {
      emulator.sessions.complete(sessionId, { status: 'FAILED' }).catch(() => undefined);
    },
  };
}
