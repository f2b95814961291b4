/**
 * With exposeDetails on, results carry the confidence, bounding boxes and short-lived presigned URLs, and those URLs
 * really download the reference and audit images that the emulator wrote to the local S3.
 */
import { newLocalCaller } from '../support/local-identity';
import { startLocalBackend, type LocalBackend } from '../../local/stack';

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

function isImage(bytes: Uint8Array): boolean {
  const starts = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
  return starts(JPEG_MAGIC) || starts(PNG_MAGIC);
}

describe('local mode with exposeDetails', () => {
  let stack: LocalBackend;

  beforeAll(async () => {
    stack = await startLocalBackend({
      apiPort: 0,
      emulatorPort: 0,
      honourEnvironment: false,
      settings: { exposeDetails: true },
    });
    stack.emulator.defaults.set({ startAfterMs: 20, completeAfterMs: 100, outcome: { confidence: 91.25 } });
  });
  afterAll(() => stack.close());

  it('returns the confidence and presigned URLs that download real images from the local S3', async () => {
    // GIVEN a session that keeps 2 audit images
    const { client } = newLocalCaller(stack);
    const created = await client.createSession({ auditImagesLimit: 2 });
    // WHEN
    const result = await client.waitForResult(created.sessionId);
    // THEN
    expect(result.isLive).toBe(true);
    expect(result.details?.confidence).toBe(91.25);
    const reference = result.details?.referenceImage;
    expect(reference?.url).toMatch(/X-Amz-Expires=60/);
    expect(reference?.boundingBox).toEqual(
      expect.objectContaining({ width: expect.any(Number), height: expect.any(Number) }),
    );
    expect(result.details?.auditImages).toHaveLength(2);
    for (const image of [reference!, ...result.details!.auditImages]) {
      const res = await fetch(image.url!);
      expect(res.status).toBe(200);
      expect(isImage(new Uint8Array(await res.arrayBuffer()))).toBe(true);
    }
  });

  it("presigned URLs point under the configured prefix, inside the session's own folder", async () => {
    const { client } = newLocalCaller(stack);
    const created = await client.createSession();
    const result = await client.waitForResult(created.sessionId);
    const url = new URL(result.details!.referenceImage!.url!);
    expect(url.pathname).toContain(`/face-liveness-images-local/liveness/${created.sessionId}/`);
  });
});
