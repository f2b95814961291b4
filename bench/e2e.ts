/**
 * The local end-to-end flow: create → result through the local API, the real handlers and the Rekognition emulator
 * (sessions complete at once), and the same flows through a second local API serving the twins, against the same
 * emulator and S3. The two APIs take turns in chunks, so both see the same machine. The load comes from a separate
 * client process; the servers (both APIs, the emulator and the local AWS stand-ins) share this process, as in
 * `npm start`, with each API's handlers on a worker thread, so the latencies are the whole local stack's, of which the
 * handlers are one part.
 */
import { join } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { HANDLER_ENV } from '../contract/handler-environment';
import { TERMINAL_STATUSES } from '../contract/liveness-model';
import { startHandlerThread } from '../local/api/handler-thread';
import { startLocalApi } from '../local/api/server';
import { startLocalBackend } from '../local/stack';
import { runTimed } from './processes';
import { percentile } from './stats';

export interface FlowStats {
  readonly flows: number;
  readonly concurrency: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly flowsPerSecond: number;
  /** Result polls per flow (1 when the first GET already has the verdict). */
  readonly pollsPerFlow: number;
  /**
   * Busy time per flow, ms, by where it is spent: the API's handler thread, the main thread (the local API's SigV4
   * check and routing, the emulators, the local DynamoDB, S3 and KMS), and the load client. Threads are measured by
   * their event-loop utilization (its active time is the thread's CPU time: nothing there blocks), the client by its CPU
   * time. Their sum over the machine's cores bounds flows/s; the largest single thread bounds it too.
   */
  readonly busyMsPerFlow: { readonly handlers: number; readonly stack: number; readonly client: number };
}

const CLIENT = join(__dirname, 'children', 'flow-client.cjs');

/** One chunk of flows from a client process of its own; bounded by its own time limit. */
async function runFlows(
  apiUrl: string,
  origin: string,
  count: number,
  concurrency: number,
  identity?: { url: string; poolId: string },
) {
  const args = [
    CLIENT,
    apiUrl,
    origin,
    String(count),
    String(concurrency),
    ...(identity ? [identity.url, identity.poolId] : []),
  ];
  const env = { ...process.env, LIVENESS_TERMINAL_STATUSES: TERMINAL_STATUSES.join(',') };
  const run = await runTimed(process.execPath, args, env, 30_000 + count * 2_000);
  let report: { latencies?: number[]; polls?: number; wallMs?: number; cpuMs?: number; error?: string } = {};
  try {
    report = JSON.parse(run.report) as typeof report;
  } catch {
    // reported below
  }
  if (run.code !== 0 || report.latencies === undefined)
    throw new Error(`e2e flows against ${apiUrl} failed: ${report.error ?? run.stderr.slice(-2000)}`);
  return {
    latencies: report.latencies,
    polls: report.polls ?? 0,
    wallMs: report.wallMs ?? run.wallMs,
    clientCpuMs: report.cpuMs ?? 0,
  };
}

/** Active ms of a thread's event loop between two readings. */
const activeMs = (before: EventLoopUtilization, after: EventLoopUtilization) => after.active - before.active;

export async function measureEndToEnd({
  flows,
  concurrency,
}: {
  flows: number;
  concurrency: number;
}): Promise<Record<'handlers' | 'twins', FlowStats>> {
  // Both APIs run their handlers on a thread of their own, as Lambda runs apart from the services it calls: the
  // handlers' SDK work and the stand-ins' then share the machine's two cores instead of one event loop.
  const stack = await startLocalBackend({ apiPort: 0, emulatorPort: 0, honourEnvironment: false, handlerThread: true });
  const closers: (() => Promise<void>)[] = [() => stack.close()];
  try {
    stack.emulator.defaults.set({ startAfterMs: 0, completeAfterMs: 0 });
    // The twins read their configuration at load, like the handlers: their thread starts only now that the stack set it.
    const twins = await startHandlerThread({
      createSession: join(__dirname, 'twins', 'create-session.ts'),
      getResult: join(__dirname, 'twins', 'get-result.ts'),
    });
    closers.unshift(() => twins.close());
    const allowedOrigins = (stack.handlerEnv[HANDLER_ENV.ALLOWED_ORIGINS] ?? '').split(',');
    const twinApi = await startLocalApi({ handlers: twins.handlers, allowedOrigins, port: 0 });
    closers.unshift(() => twinApi.close());
    const origin = allowedOrigins[0]!;
    const apis = { handlers: stack.api.url, twins: twinApi.url } as const;
    const handlerThreads = { handlers: stack.handlerThread!, twins } as const;
    // The handlers' API checks SigV4 as deployed (auth 'iam'): its client signs with a guest identity's credentials.
    // The twins' API checks nothing; signing for it too keeps both clients' work the same.
    const identity = { url: stack.identity.url, poolId: stack.identity.pool.identityPoolId };

    // Warm-up: first calls load the presigner-free paths, open keep-alive sockets, and JIT both stacks.
    for (const url of Object.values(apis)) await runFlows(url, origin, Math.min(20, flows), concurrency, identity);

    const chunk = Math.max(concurrency, Math.ceil(flows / 4));
    const totals = () => ({
      latencies: [] as number[],
      polls: 0,
      wallMs: 0,
      clientCpuMs: 0,
      // Flows the servers served while measured: the client's untimed first flow per slot included.
      served: 0,
      handlerMs: 0,
      stackMs: 0,
    });
    const acc = { handlers: totals(), twins: totals() };
    for (let done = 0, turn = 0; done < flows; turn++) {
      const n = Math.min(chunk, flows - done);
      const order = turn % 2 === 0 ? (['handlers', 'twins'] as const) : (['twins', 'handlers'] as const);
      for (const which of order) {
        const thread = handlerThreads[which];
        const before = { main: performance.eventLoopUtilization(), handlers: thread.eventLoopUtilization() };
        const r = await runFlows(apis[which], origin, n, concurrency, identity);
        const a = acc[which];
        a.stackMs += activeMs(before.main, performance.eventLoopUtilization());
        a.handlerMs += activeMs(before.handlers, thread.eventLoopUtilization());
        a.served += n + Math.min(concurrency, n);
        a.latencies.push(...r.latencies);
        a.polls += r.polls;
        a.wallMs += r.wallMs;
        a.clientCpuMs += r.clientCpuMs;
      }
      done += n;
    }
    const stats = (a: (typeof acc)['handlers']): FlowStats => ({
      flows: a.latencies.length,
      concurrency,
      p50Ms: percentile(a.latencies, 50),
      p99Ms: percentile(a.latencies, 99),
      flowsPerSecond: a.latencies.length / (a.wallMs / 1000),
      pollsPerFlow: a.polls / a.latencies.length,
      busyMsPerFlow: {
        handlers: a.handlerMs / a.served,
        stack: a.stackMs / a.served,
        client: a.clientCpuMs / a.latencies.length,
      },
    });
    return { handlers: stats(acc.handlers), twins: stats(acc.twins) };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}
