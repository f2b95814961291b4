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
   * CPU time per flow, ms: the servers' process (the local API's SigV4 check and routing, the handler threads, the
   * emulators, the local DynamoDB, S3 and KMS, and V8's own threads) and the load client. Their sum over the machine's
   * cores bounds flows/s.
   */
  readonly cpuMsPerFlow: { readonly servers: number; readonly client: number };
  /**
   * The handler threads' share of the servers' busy time (event-loop active time of the handler threads against the
   * main thread's, where the stand-ins run): where the servers' CPU goes.
   */
  readonly handlerShare: number;
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
  let report: {
    latencies?: number[];
    polls?: number;
    wallMs?: number;
    cpuMs?: number;
    untimed?: number;
    error?: string;
  } = {};
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
    untimed: report.untimed ?? 0,
  };
}

/** Active ms of a thread's event loop between two readings. */
const activeMs = (before: EventLoopUtilization, after: EventLoopUtilization) => after.active - before.active;

type Api = 'handlers' | 'twins';

export interface EndToEndResult extends Record<Api, FlowStats> {
  /** The uncounted flows run first, per API, and the rate they ran at. */
  readonly warmup: { readonly flows: number; readonly flowsPerSecond: Record<Api, number> };
}

export async function measureEndToEnd({
  flows,
  warmupFlows,
  concurrency,
}: {
  flows: number;
  warmupFlows: number;
  concurrency: number;
}): Promise<EndToEndResult> {
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

    const totals = () => ({
      latencies: [] as number[],
      polls: 0,
      wallMs: 0,
      clientCpuMs: 0,
      // Flows the servers served while measured: the client's untimed first flow per slot included.
      served: 0,
      handlerMs: 0,
      stackMs: 0,
      serverCpuMs: 0,
    });
    type Totals = ReturnType<typeof totals>;
    /** `total` flows per API in alternating chunks (a quarter each, so both APIs see the same machine). */
    const round = async (total: number): Promise<Record<Api, Totals>> => {
      const acc = { handlers: totals(), twins: totals() };
      const chunk = Math.max(concurrency, Math.ceil(total / 4));
      for (let done = 0, turn = 0; done < total; turn++) {
        const n = Math.min(chunk, total - done);
        const order = turn % 2 === 0 ? (['handlers', 'twins'] as const) : (['twins', 'handlers'] as const);
        for (const which of order) {
          const thread = handlerThreads[which];
          const before = {
            main: performance.eventLoopUtilization(),
            handlers: thread.eventLoopUtilization(),
            cpu: process.cpuUsage(),
          };
          const r = await runFlows(apis[which], origin, n, concurrency, identity);
          const cpu = process.cpuUsage(before.cpu);
          const a = acc[which];
          a.serverCpuMs += (cpu.user + cpu.system) / 1000;
          a.stackMs += activeMs(before.main, performance.eventLoopUtilization());
          a.handlerMs += activeMs(before.handlers, thread.eventLoopUtilization());
          a.served += r.latencies.length + r.untimed;
          a.latencies.push(...r.latencies);
          a.polls += r.polls;
          a.wallMs += r.wallMs;
          a.clientCpuMs += r.clientCpuMs;
        }
        done += n;
      }
      return acc;
    };
    const rate = (a: Totals) => a.latencies.length / (a.wallMs / 1000);

    // Warm-up, not counted: opens the keep-alive sockets and lets V8 compile both stacks' hot paths. Throughput keeps
    // climbing for the first few hundred flows (the CPU per flow falls by a third), and a deployed function's warm
    // instances are past that point too.
    const warm = warmupFlows > 0 ? await round(warmupFlows) : undefined;
    const acc = await round(flows);
    const stats = (a: Totals): FlowStats => ({
      flows: a.latencies.length,
      concurrency,
      p50Ms: percentile(a.latencies, 50),
      p99Ms: percentile(a.latencies, 99),
      flowsPerSecond: rate(a),
      pollsPerFlow: a.polls / a.latencies.length,
      cpuMsPerFlow: { servers: a.serverCpuMs / a.served, client: a.clientCpuMs / a.latencies.length },
      handlerShare: a.handlerMs / (a.handlerMs + a.stackMs),
    });
    return {
      handlers: stats(acc.handlers),
      twins: stats(acc.twins),
      warmup: {
        flows: warmupFlows,
        flowsPerSecond: { handlers: warm ? rate(warm.handlers) : 0, twins: warm ? rate(warm.twins) : 0 },
      },
    };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}
