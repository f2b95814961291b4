/**
 * Attaches the streaming emulator to a Playwright browser context: every WebSocket the page opens to
 * streaming-rekognition.*.amazonaws.com is answered in-process (Playwright replaces the page's WebSocket with a
 * routed one), so no TLS, no DNS and no network are involved.
 */
import type { BrowserContext, WebSocketRoute } from 'playwright-core';
import type { SocketLike, StreamingEmulator } from '../../local/emulators/streaming/protocol';

export const STREAMING_URL_PATTERN = /^wss:\/\/streaming-rekognition(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com\//;

export async function routeStreamingToEmulator(context: BrowserContext, emulator: StreamingEmulator): Promise<void> {
  await context.routeWebSocket(STREAMING_URL_PATTERN, (route) => {
    emulator.accept(socketFromRoute(route), route.url());
  });
}

export function socketFromRoute(route: WebSocketRoute): SocketLike {
  return {
    send: (bytes) => route.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    close: (code, reason) => {
      route.close({ code, reason }).catch(() => undefined); // the page may be gone already
    },
    onMessage: (handler) =>
      route.onMessage((message) =>
        handler(typeof message === 'string' ? new TextEncoder().encode(message) : new Uint8Array(message)),
      ),
    onClose: (handler) => route.onClose((code, reason) => handler(code, reason)),
  };
}
