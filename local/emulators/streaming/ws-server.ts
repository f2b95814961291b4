/**
 * The streaming emulator on a real WebSocket, for local mode in a real browser (`npm start`). The detector insists on
 * `wss://streaming-rekognition.{region}.amazonaws.com`; in local mode the example app redirects that one URL to this
 * same-origin endpoint (`ws://127.0.0.1:PORT/_streaming?target=<the original URL>`), so no TLS certificate and no DNS
 * are involved. Tests use the Playwright attachment instead (./playwright.ts).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { SocketLike, StreamingEmulator } from './protocol';

export const LOCAL_STREAMING_PATH = '/_streaming';
/** Largest client frame accepted: a one-second 640x480 WebM chunk is well under 1 MB. */
const MAX_FRAME_BYTES = 8 * 1024 * 1024;
const TARGET =
  /^wss:\/\/streaming-rekognition(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com\/start-face-liveness-session-websocket\?/;

/**
 * Answers WebSocket upgrades to LOCAL_STREAMING_PATH on `server` with the emulator. Only pages served by this same
 * server may connect (Origin check), so another site open in the browser cannot drive local sessions.
 */
export function attachStreamingEndpoint(server: Server, emulator: StreamingEmulator): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== LOCAL_STREAMING_PATH) {
      socket.destroy();
      return;
    }
    const target = url.searchParams.get('target') ?? '';
    const sameOrigin =
      req.headers.origin !== undefined &&
      req.headers.host !== undefined &&
      new URL(req.headers.origin).host === req.headers.host;
    if (!sameOrigin || !TARGET.test(target)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      emulator.accept(socketFromWs(ws), target);
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    close: () => {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

export function socketFromWs(ws: WebSocket): SocketLike {
  return {
    send: (bytes) => ws.send(bytes, { binary: true }),
    close: (code, reason) => {
      // Browsers may send only 1000 and 3000–4999; a server may also use the 1001–1014 range.
      ws.close(code, reason);
    },
    onMessage: (handler) => ws.on('message', (data: RawData) => handler(toBytes(data))),
    onClose: (handler) => ws.on('close', (code: number, reason: Buffer) => handler(code, reason.toString())),
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
