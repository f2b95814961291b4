/** Small helpers for the local servers: they bind loopback only and close without leaving sockets or timers behind. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { isIP } from 'node:net';

/** Throws unless `host` is a loopback address: the local servers are never reachable from another machine. */
export function assertLoopbackHost(host: string): void {
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
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

/** A loopback port that is free right now (for a port the caller must name before it starts a server on it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server, 0, '127.0.0.1');
  await closeHttpServer(server);
  return port;
}

/** The request body, or undefined once it passes `maxBytes` (the rest is not buffered). */
export async function readBodyUpTo(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
