/**
 * The handlers on a worker thread (local/api/handler-thread.ts): the event and the context reach the thread, the
 * result comes back, a crash becomes a rejection (the local API's 500 "The function failed"), and the real handlers
 * serve a whole signed create → result flow from their thread.
 */
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { lambdaContext } from '../../local/api';
import { startHandlerThread, type HandlerThread } from '../../local/api/handler-thread';
import { startLocalBackend } from '../../local/stack';
import { newLocalCaller } from '../support/local-identity';

const FIXTURE = join(__dirname, 'fixtures', 'thread-handlers.ts');

describe('handler thread', () => {
  let thread: HandlerThread;
  beforeAll(async () => {
    // The thread reads the environment as it is when it starts, as the handlers read theirs at load.
    process.env.THREAD_FIXTURE = 'set-before-start';
    thread = await startHandlerThread({ createSession: FIXTURE, getResult: FIXTURE });
    process.env.THREAD_FIXTURE = 'changed-after-start';
  });
  afterAll(async () => {
    delete process.env.THREAD_FIXTURE;
    await thread.close();
  });

  it('hands the event and the context to the thread and returns its result', async () => {
    const event = { path: '/sessions' } as APIGatewayProxyEvent;
    const result = await thread.handlers.createSession(event, lambdaContext('local-createSession', 'req-1', 5_000));
    const body = JSON.parse(result!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ path: '/sessions', requestId: 'req-1', threadEnv: 'set-before-start' });
    expect(body.remainingMs).toBeGreaterThan(0);
    expect(body.remainingMs).toBeLessThanOrEqual(5_000);
  });

  it('a handler that throws rejects, and the thread keeps serving', async () => {
    const context = lambdaContext('local-getResult', 'req-2', 5_000);
    await expect(thread.handlers.getResult({ path: '/crash' } as APIGatewayProxyEvent, context)).rejects.toThrow(
      'The function failed',
    );
    const after = await thread.handlers.getResult({ path: '/ok' } as APIGatewayProxyEvent, context);
    expect(after?.statusCode).toBe(200);
  });

  it('a module without a handler fails the start', async () => {
    await expect(
      startHandlerThread({ createSession: join(__dirname, 'fixtures', 'missing-module.ts'), getResult: FIXTURE }),
    ).rejects.toThrow();
  });
});

describe('local stack with handlerThread', () => {
  it('the real handlers answer a signed create → result flow from their thread', async () => {
    const stack = await startLocalBackend({
      apiPort: 0,
      emulatorPort: 0,
      honourEnvironment: false,
      handlerThread: true,
    });
    try {
      stack.emulator.defaults.set({ startAfterMs: 0, completeAfterMs: 0 });
      const { client } = newLocalCaller(stack);
      const created = await client.createSession();
      const result = await client.waitForResult(created.sessionId, { expiresAt: created.expiresAt });
      expect(result).toEqual({
        sessionId: created.sessionId,
        status: 'SUCCEEDED',
        done: true,
        isLive: true,
        feedback: [],
        challenge: { type: 'FaceMovementAndLightChallenge', version: '2.0.0' },
        // signed on the thread through the local KMS stand-in
        attestation: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      });
      // the verdict the thread's handlers wrote is in the local table
      const items = await stack.dynamo.items();
      expect(items.some((item) => JSON.stringify(item).includes(created.sessionId))).toBe(true);
    } finally {
      await stack.close();
    }
  });
});
