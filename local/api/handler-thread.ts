/**
 * The handlers on a thread of their own (a worker thread), as Lambda runs them apart from the services they call:
 * the local API hands each proxy event to the thread and answers with what the handler returned, while the stand-ins
 * (local S3, DynamoDB, the emulators) keep the main thread. On a machine with two or more cores the handlers' AWS SDK
 * work and the stand-ins' work then run side by side instead of taking turns on one event loop.
 *
 * The thread loads the handler modules itself, reading its configuration from the environment it inherits when it
 * starts (set the handler environment first, as for in-process handlers). It loads TypeScript with tsx's require hook (a
 * dependency already: `npm start` and `npm run bench` run on tsx); jest's in-process handlers stay the default elsewhere.
 */
import { join } from 'node:path';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { BackendRouteName, BrowserRouteName, RouteName } from '../../contract/routes';
import type { LocalHandlers, ProxyHandler } from './server';

export interface HandlerThread {
  readonly handlers: LocalHandlers;
  /** The thread's event-loop utilization since it started: the benchmark's split of busy time between threads. */
  eventLoopUtilization(): EventLoopUtilization;
  close(): Promise<void>;
}

/** Absolute module paths (each exporting `handler`) per route; the backend routes only with identity verification. */
export type HandlerModules = Record<BrowserRouteName, string> & Partial<Record<BackendRouteName, string>>;

interface Reply {
  readonly id: number;
  readonly result?: APIGatewayProxyResult;
  readonly failed?: boolean;
}

export async function startHandlerThread(modules: HandlerModules): Promise<HandlerThread> {
  // Node 20's workers do not inherit tsx's module hooks: the thread registers tsx's require hook itself.
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(join(__dirname, 'handler-worker.ts'))});`;
  // The environment as this thread sees it now (under jest, process.env is the test's own copy). The SDK's warning that
  // this Node is old is the main thread's to print, once, not the thread's again.
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const worker = new Worker(bootstrap, { eval: true, workerData: { modules }, env });
  const pending = new Map<number, { resolve(r: APIGatewayProxyResult | undefined): void; reject(e: Error): void }>();
  let nextId = 0;
  let closed = false;
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.failed) p.reject(new Error('The function failed'));
    else p.resolve(reply.result);
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', () => failAll(new Error('The handler thread stopped')));
  await new Promise<void>((resolve, reject) => {
    const onReady = (message: unknown) => {
      if (message === 'ready') {
        worker.off('message', onReady);
        worker.off('error', reject);
        resolve();
      }
    };
    worker.on('message', onReady);
    worker.once('error', reject);
  });
  const invoke =
    (route: RouteName): ProxyHandler =>
    (event, context) =>
      new Promise((resolve, reject) => {
        if (closed) return reject(new Error('The handler thread stopped'));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({
          id,
          route,
          event,
          context: {
            functionName: context.functionName,
            awsRequestId: context.awsRequestId,
            remainingMs: context.getRemainingTimeInMillis(),
          },
        });
      });
  const routes = Object.keys(modules) as RouteName[];
  return {
    handlers: Object.fromEntries(routes.map((route) => [route, invoke(route)])) as unknown as LocalHandlers,
    eventLoopUtilization: () => worker.performance.eventLoopUtilization(),
    close: async () => {
      closed = true;
      await worker.terminate();
    },
  };
}
