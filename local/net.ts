/**
 * Small helpers for the local servers: they bind loopback only, answer only requests addressed to this machine by
 * name, survive whatever a client sends, and close without leaving sockets or timers behind.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';

/** Throws unless `host` is a loopback address: the local servers are never reachable from another machine. */
export function assertLoopbackHost(host: string): void {
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!loopback) throw new Error(`Refusing to bind ${host}: local servers listen on a loopback address only`);
}

/**
 * The Host names a local server answers to, whatever the port (a forwarded port keeps its name). A web page that
 * reached 127.0.0.1 by DNS rebinding still sends its own name in Host: that request is refused, so no page on another
 * site can drive the unauthenticated local servers (the emulator's control API first of all).
 */
const LOOPBACK_HOST_NAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i;

/**
 * Why `req` is not addressed to this machine, or undefined when it is: its Host names 127.0.0.1, localhost, [::1] or
 * the loopback address the connection arrived on, with or without a port.
 */
export function foreignHostReason(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (host === undefined || host === '') return 'The request has no Host header';
  const name = HOST_HEADER.exec(host)?.[1]?.toLowerCase();
  const arrivedOn = req.socket.localAddress;
  const own = arrivedOn === undefined ? undefined : arrivedOn.includes(':') ? `[${arrivedOn}]` : arrivedOn;
  if (name !== undefined && (LOOPBACK_HOST_NAMES.has(name) || name === own)) return undefined;
  return `Host ${JSON.stringify(host.slice(0, 100))} is not this machine: local servers answer only Host 127.0.0.1, localhost or [::1]`;
}

/** A request listener of a local server; it may be async. */
export type LocalRequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface LocalServerOptions {
  /**
   * Answers a request whose Host is not this machine (see foreignHostReason). @default 421 Misdirected Request with
   * `{"error": {"code": "MISDIRECTED_REQUEST", "message": …}}`
   */
  readonly misdirected?: (req: IncomingMessage, res: ServerResponse, message: string) => void;
}

/**
 * An HTTP server for local mode: requests addressed to another host name are refused before `listener` sees them,
 * and an exception or a rejection from `listener` becomes a 500 (or a closed connection, once the answer has begun)
 * instead of an uncaught exception that would stop every local server of the process. An `upgrade` request with no
 * upgrade listener (see onUpgrade) reaches `listener` as an ordinary request.
 */
export function createLocalServer(listener: LocalRequestListener, options: LocalServerOptions = {}): Server {
  return createServer(localRequestListener(listener, options));
}

/** `listener` with createLocalServer's guards, for a server made elsewhere (dynalite's). */
export function localRequestListener(
  listener: LocalRequestListener,
  options: LocalServerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const misdirected = options.misdirected ?? answerMisdirected;
  return (req, res) => {
    const foreign = foreignHostReason(req);
    guard(res, () => {
      if (foreign === undefined) return listener(req, res);
      req.resume();
      return misdirected(req, res, foreign);
    });
  };
}

function guard(res: ServerResponse, work: () => unknown): void {
  const failed = (): void => {
    try {
      if (res.headersSent) res.destroy();
      else sendJsonError(res, 500, 'INTERNAL_ERROR', 'Internal error');
    } catch {
      res.destroy();
    }
  };
  try {
    const outcome = work();
    if (outcome instanceof Promise) outcome.catch(failed);
  } catch {
    failed();
  }
}

function answerMisdirected(_req: IncomingMessage, res: ServerResponse, message: string): void {
  sendJsonError(res, 421, 'MISDIRECTED_REQUEST', message);
}

function sendJsonError(res: ServerResponse, status: number, code: string, message: string): void {
  const text = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Adds `listener` for `server`'s upgrade requests, guarded as createLocalServer guards requests: a foreign Host gets
 * 421 before the listener sees it, a socket error (a client that resets at once) is absorbed instead of being an
 * uncaught 'error' event, and an exception from `listener` refuses that one upgrade with a 500. Returns the remover.
 */
export function onUpgrade(server: Server, listener: UpgradeListener): () => void {
  const guarded = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Node hands the socket over with no error listener of its own.
    socket.on('error', () => socket.destroy());
    const foreign = foreignHostReason(req);
    if (foreign !== undefined) {
      refuseUpgrade(socket, 421, { error: { code: 'MISDIRECTED_REQUEST', message: foreign } });
      return;
    }
    try {
      listener(req, socket, head);
    } catch {
      refuseUpgrade(socket, 500, { error: { code: 'INTERNAL_ERROR', message: 'Internal error' } });
    }
  };
  server.on('upgrade', guarded);
  return () => server.off('upgrade', guarded);
}

/** Answers an upgrade request with a plain HTTP response (JSON when `body` is given) and closes its socket. */
export function refuseUpgrade(socket: Duplex, status: number, body?: unknown): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    ...(body === undefined ? [] : ['Content-Type: application/json', 'Cache-Control: no-store']),
    `Content-Length: ${Buffer.byteLength(text)}`,
  ];
  // Destroyed once written: a client that never closes its side must not keep the server from closing.
  socket.end(`${head.join('\r\n')}\r\n\r\n${text}`, () => socket.destroy());
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
