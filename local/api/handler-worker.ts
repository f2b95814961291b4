/** The handler thread's side (see handler-thread.ts): loads the handlers, runs each event it is sent, posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import type { RouteName } from '../../contract/routes';
import { lambdaContext } from './proxy-event';
import type { ProxyHandler } from './server';

interface Invocation {
  readonly id: number;
  readonly route: RouteName;
  readonly event: Parameters<ProxyHandler>[0];
  readonly context: { readonly functionName: string; readonly awsRequestId: string; readonly remainingMs: number };
}

function main(): void {
  const modules = (workerData as { modules: Partial<Record<RouteName, string>> }).modules;
  const handlers = new Map<string, ProxyHandler>();
  for (const [route, path] of Object.entries(modules) as [string, string][]) {
    // require, not import(): the thread has tsx's require hook only (see handler-thread.ts).
    const loaded = require(path) as { handler?: ProxyHandler; default?: { handler?: ProxyHandler } };
    const handler = loaded.handler ?? loaded.default?.handler;
    if (typeof handler !== 'function') throw new Error(`${path} exports no handler`);
    handlers.set(route, handler);
  }
  const port = parentPort!;
  port.on('message', (m: Invocation) => {
    const handler = handlers.get(m.route)!;
    handler(m.event, lambdaContext(m.context.functionName, m.context.awsRequestId, m.context.remainingMs)).then(
      (result) => port.postMessage({ id: m.id, result: result ?? undefined }),
      () => port.postMessage({ id: m.id, failed: true }),
    );
  });
  port.postMessage('ready');
}

main();
