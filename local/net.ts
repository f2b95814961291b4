/** Small helpers for the local servers: they bind loopback only and close without leaving sockets or timers behind. */
import type { Server } from 'node:http';
import { isIP } from 'node:net';

/** Throws unless `host` is a loopback address: the local servers are never reachable from another machine. */
export function assertLoopbackHost(host: string): void {
  const loopback =
    host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!loopback) throw new Error(`Refusing to bind ${host}: local servers listen on a loopback address only`);
}

/** Listens on `host:port` (0 = any free port) and resolves with the port actually bound. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  assertLoopbackHost(host);
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('server has no TCP address'));
        return;
      }
      resolve(address.port);
    });
  });
}

/**
 * Stops accepting connections, drops idle keep-alive sockets at once and in-flight ones after `graceMs`, and resolves
 * when the port is released.
 */
export function closeHttpServer(server: Server, graceMs = 250): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close((err) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
