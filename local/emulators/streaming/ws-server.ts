/**
 * The streaming emulator on a real WebSocket, for local mode in a real browser (`npm start`). The detector insists on
 * `wss://streaming-rekognition.{region}.amazonaws.com`; in local mode the example app redirects that one URL to this
 * same-origin endpoint (`ws://127.0.0.1:PORT/_streaming?target=<the original URL>`), so no TLS certificate and no DNS
 * are involved. Tests use the Playwright attachment instead (./playwright.ts).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { onUpgrade, refuseUpgrade } from '../../net';
import type { SocketLike, StreamingEmulator } from './protocol';

export const LOCAL_STREAMING_PATH = '/_streaming';
/** Largest client frame accepted: a one-second 640x480 WebM chunk is well under 1 MB. */
const MAX_FRAME_BYTES = 8 * 1024 * 1024;
const TARGET =
  /^wss:\/\/streaming-rekognition(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com\/start-face-liveness-session-websocket\?/;
/** The WebSocket close code for "the server met an unexpected condition". */
const WS_INTERNAL_ERROR = 1011;

/**
 * Answers WebSocket upgrades to LOCAL_STREAMING_PATH on `server` with the emulator, through onUpgrade (local/net.ts:
 * a foreign Host is refused first, and nothing a client sends can throw out of the listener). Only pages served by
 * this same server may connect (Origin check), so another site open in the browser cannot drive local sessions.
 */
export function attachStreamingEndpoint(server: Server, emulator: StreamingEmulator): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const remove = onUpgrade(server, (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const requestTarget = req.url ?? '/';
    const url = URL.canParse(requestTarget, 'http://localhost')
      ? new URL(requestTarget, 'http://localhost')
      : undefined;
    if (url?.pathname !== LOCAL_STREAMING_PATH) {
      refuseUpgrade(socket, 404, {
        error: { code: 'NOT_FOUND', message: `The WebSocket endpoint is ${LOCAL_STREAMING_PATH}` },
      });
      return;
    }
    const target = url.searchParams.get('target') ?? '';
    if (!isSameOrigin(req) || !TARGET.test(target)) {
      refuseUpgrade(socket, 403, {
        error: {
          code: 'FORBIDDEN',
          message: 'Only this server’s own pages may stream, to the streaming service’s URL',
        },
      });
      return;
    }
    // ws answers a missing or malformed Sec-WebSocket-Key or -Version itself, with a 400.
    wss.handleUpgrade(req, socket, head, (ws) => {
      emulator.accept(socketFromWs(ws), target);
    });
  });
  return {
    close: () => {
      remove();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

/**
 * Whether the page that opened the socket was served by this server: its Origin has the request's own host. A
 * sandboxed iframe's `null`, an absent or an unparsable Origin is not.
 */
function isSameOrigin(req: IncomingMessage): boolean {
  const { origin, host } = req.headers;
  if (origin === undefined || host === undefined || !URL.canParse(origin)) return false;
  return new URL(origin).host === host.toLowerCase();
}

export function socketFromWs(ws: WebSocket): SocketLike {
  // ws reports a frame the protocol forbids (unmasked, oversized, bad UTF-8) as an 'error' event and then closes the
  // connection itself: without a listener that event would be an uncaught exception.
  ws.on('error', () => undefined);
  /** A handler that throws ends its own connection, never the process. */
  const contained =
    <A extends unknown[]>(handler: (...args: A) => void) =>
    (...args: A): void => {
      try {
        handler(...args);
      } catch {
        ws.close(WS_INTERNAL_ERROR, 'Internal error');
      }
    };
  return {
    send: (bytes) => ws.send(bytes, { binary: true }),
    close: (code, reason) => {
      // Browsers may send only 1000 and 3000–4999; a server may also use the 1001–1014 range.
      ws.close(code, reason);
    },
    onMessage: (handler) =>
      ws.on(
        'message',
        contained((data: RawData) => handler(toBytes(data))),
      ),
    onClose: (handler) =>
      ws.on(
        'close',
        contained((code: number, reason: Buffer) => handler(code, reason.toString())),
      ),
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
