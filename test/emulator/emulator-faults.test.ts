import {
  AccessDeniedException,
  CreateFaceLivenessSessionCommand,
  GetFaceLivenessSessionResultsCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RekognitionClient,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import { startRekognitionEmulator, type RekognitionEmulator } from '../../local/emulators/rekognition';
import { control, errorOf, rekognitionClient, TEST_CREDENTIALS } from './support';

describe('Rekognition emulator: fault injection', () => {
  let emulator: RekognitionEmulator;
  let client: RekognitionClient;

  beforeAll(async () => {
    emulator = await startRekognitionEmulator();
    client = rekognitionClient(emulator.url);
  });

  beforeEach(() => emulator.reset());

  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  const create = () => client.send(new CreateFaceLivenessSessionCommand({}));

  it.each([
    ['ThrottlingException', ThrottlingException, 500, 'server'],
    ['InternalServerError', InternalServerError, 500, 'server'],
    ['ProvisionedThroughputExceededException', ProvisionedThroughputExceededException, 400, 'client'],
    ['AccessDeniedException', AccessDeniedException, 400, 'client'],
  ] as const)('fails the next call with %s, raised as the SDK class', async (name, ErrorClass, status, fault) => {
    // GIVEN
    emulator.faults.failNext(name);

    // WHEN
    const err = await errorOf(create());
    const next = await create();

    // THEN
    expect(err).toBeInstanceOf(ErrorClass);
    expect(err.$metadata.httpStatusCode).toBe(status);
    expect(err.$fault).toBe(fault);
    expect(next.SessionId).toBeDefined();
  });

  it('fails exactly the next N calls of one operation', async () => {
    // GIVEN
    const { SessionId } = await create();
    emulator.faults.failNext('ThrottlingException', { count: 2, operation: 'GetFaceLivenessSessionResults' });
    const get = () => client.send(new GetFaceLivenessSessionResultsCommand({ SessionId }));

    // WHEN
    const created = await create();
    const first = await errorOf(get());
    const second = await errorOf(get());
    const third = await get();

    // THEN
    expect(created.SessionId).toBeDefined();
    expect(first).toBeInstanceOf(ThrottlingException);
    expect(second).toBeInstanceOf(ThrottlingException);
    expect(third.Status).toBe('CREATED');
  });

  it('lets the SDK retry a throttled call by itself', async () => {
    // GIVEN
    const retrying = new RekognitionClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      maxAttempts: 3,
    });
    emulator.faults.failNext('ThrottlingException', { count: 2 });

    // WHEN
    const out = await retrying.send(new CreateFaceLivenessSessionCommand({}));
    retrying.destroy();

    // THEN
    expect(out.SessionId).toBeDefined();
    expect(out.$metadata.attempts).toBe(3);
  }, 15_000);

  it('answers a share of calls with errors, the same sequence for the same seed', async () => {
    const outcomes = async (): Promise<string[]> => {
      emulator.faults.set({ seed: 7, throttlingRate: 0.3, internalErrorRate: 0.2 });
      const names: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        names.push(
          await create().then(
            () => 'ok',
            (err: Error) => err.name,
          ),
        );
      }
      return names;
    };

    // WHEN
    const first = await outcomes();
    const second = await outcomes();

    // THEN
    expect(second).toEqual(first);
    expect(first).toContain('ok');
    expect(first).toContain('ThrottlingException');
    expect(first).toContain('InternalServerError');
  });

  it('fails every call at share 1 and none at share 0, per operation', async () => {
    // GIVEN
    emulator.faults.set({
      internalErrorRate: 1,
      operations: { GetFaceLivenessSessionResults: { internalErrorRate: 0 } },
    });

    // WHEN
    const createErr = await errorOf(create());
    emulator.faults.set({ operations: { CreateFaceLivenessSession: { throttlingRate: 0 } } });
    const { SessionId } = await create();
    emulator.faults.set({
      internalErrorRate: 1,
      operations: { GetFaceLivenessSessionResults: { internalErrorRate: 0 } },
    });
    const result = await client.send(new GetFaceLivenessSessionResultsCommand({ SessionId }));

    // THEN
    expect(createErr).toBeInstanceOf(InternalServerError);
    expect(result.Status).toBe('CREATED');
  });

  it('adds latency per operation', async () => {
    // GIVEN
    emulator.faults.set({ operations: { CreateFaceLivenessSession: { latencyMs: 250 } } });

    // WHEN
    const started = Date.now();
    const { SessionId } = await create();
    const createMs = Date.now() - started;
    const startedGet = Date.now();
    await client.send(new GetFaceLivenessSessionResultsCommand({ SessionId }));
    const getMs = Date.now() - startedGet;

    // THEN
    expect(createMs).toBeGreaterThanOrEqual(240);
    expect(getMs).toBeLessThan(240);
  });

  it('is driven over the control endpoint too', async () => {
    // WHEN
    const set = await control(emulator, 'PUT', '/faults', { seed: 3, throttlingRate: 0.5 });
    const queued = await control(emulator, 'POST', '/faults/fail-next', {
      error: 'ProvisionedThroughputExceededException',
      count: 1,
      operation: 'CreateFaceLivenessSession',
    });
    const err = await errorOf(create());
    const bad = await control(emulator, 'POST', '/faults/fail-next', { error: 'SomethingElse' });
    const badRate = await control(emulator, 'PUT', '/faults', { throttlingRate: 2 });
    const cleared = await control(emulator, 'DELETE', '/faults');

    // THEN
    expect(set.body.settings).toEqual({ seed: 3, throttlingRate: 0.5 });
    expect(queued.body.queued).toEqual([
      { error: 'ProvisionedThroughputExceededException', remaining: 1, operation: 'CreateFaceLivenessSession' },
    ]);
    expect(err).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(bad.status).toBe(400);
    expect(badRate.status).toBe(400);
    expect(cleared.body).toEqual({ settings: {}, queued: [] });
    await expect(create()).resolves.toHaveProperty('SessionId');
  });

  it('cuts pending latency short on close', async () => {
    // GIVEN
    const slow = await startRekognitionEmulator({ faults: { latencyMs: 30_000 } });
    const slowClient = rekognitionClient(slow.url);
    const pending = slowClient.send(new CreateFaceLivenessSessionCommand({})).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));

    // WHEN
    const started = Date.now();
    await slow.close();
    const outcome = await pending;
    slowClient.destroy();

    // THEN
    expect(Date.now() - started).toBeLessThan(2000);
    expect(['answered', 'failed']).toContain(outcome);
  });
});
