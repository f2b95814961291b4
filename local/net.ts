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

/**
 * The request body, or undefined once it passes `maxBytes` (the rest is read and dropped, not buffered, so an answer
 * can still be sent). Event listeners rather than `for await`: no async iterator and promise per chunk on every
 * request of the local servers.
 */
export function readBodyUpTo(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        req.off('data', onData);
        req.resume();
        finish(undefined);
      } else {
        chunks.push(chunk);
      }
    };
    const finish = (body: Buffer | undefined): void => {
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve(body);
    };
    const onEnd = (): void => finish(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onError = (error: Error): void => {
      req.off('data', onData);
      reject(error);
    };
    const onClose = (): void => {
      if (!req.complete) onError(new Error('request closed before its body was complete'));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}
