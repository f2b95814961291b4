/** Holding a session for a streaming client: it stops progressing by itself, and only a CREATED session can be held. */
import { CreateFaceLivenessSessionCommand, GetFaceLivenessSessionResultsCommand } from '@aws-sdk/client-rekognition';
import { startRekognitionEmulator, type RekognitionEmulator } from '../../local/emulators/rekognition';
import { control, manualClock, rekognitionClient } from './support';

describe('emulator: holding a session for a stream', () => {
  const clock = manualClock();
  let emulator: RekognitionEmulator;
  beforeAll(async () => {
    emulator = await startRekognitionEmulator({ clock: clock.now });
  });
  afterAll(() => emulator.close());

  async function createSession(): Promise<string> {
    const out = await rekognitionClient(emulator.url).send(new CreateFaceLivenessSessionCommand({}));
    return out.SessionId!;
  }
  async function status(id: string): Promise<string | undefined> {
    return (await rekognitionClient(emulator.url).send(new GetFaceLivenessSessionResultsCommand({ SessionId: id })))
      .Status;
  }

  it('a held session stays CREATED past the auto-complete delay, and a stream can still take it', async () => {
    // GIVEN a held session
    const id = await createSession();
    emulator.sessions.hold(id);
    // WHEN the default auto-complete delay passes
    clock.advance(5_000);
    // THEN it has not moved, and the streaming hooks still apply
    expect(await status(id)).toBe('CREATED');
    expect(emulator.streamingSessions.markStreaming(id)).toBe(true);
    expect(await status(id)).toBe('IN_PROGRESS');
  });

  it('an unheld session completes by itself', async () => {
    const id = await createSession();
    clock.advance(5_000);
    expect(await status(id)).toBe('SUCCEEDED');
  });

  it('the control endpoint holds a session, and refuses one that already started with 409', async () => {
    const id = await createSession();
    expect((await control(emulator, 'POST', `/sessions/${id}/hold`)).status).toBe(200);
    const started = await createSession();
    clock.advance(1_000);
    const res = await control(emulator, 'POST', `/sessions/${started}/hold`);
    expect(res.status).toBe(409);
  });
});
