/**
 * Local mode only (`npm start`): the detector always opens `wss://streaming-rekognition.{region}.amazonaws.com/…`.
 * Offline there is no such host, so the app sends that one WebSocket to the streaming emulator on its own origin,
 * passing the original (presigned) URL along. Deployed configs never enable this: it is off unless the config says
 * `local: true`, and it only ever targets the page's own origin.
 */
const STREAMING_URL = /^wss:\/\/streaming-rekognition(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com\//;

export function redirectStreamingTo(endpoint: string): void {
  const target = new URL(endpoint, window.location.href);
  if (target.host !== window.location.host)
    throw new Error('The local streaming endpoint must be on this page’s origin');
  target.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const NativeWebSocket = window.WebSocket;
  class LocalStreamingWebSocket extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      const original = String(url);
      if (!STREAMING_URL.test(original)) {
        super(url, protocols);
        return;
      }
      const local = new URL(target);
      local.searchParams.set('target', original);
      super(local, protocols);
    }
  }
  window.WebSocket = LocalStreamingWebSocket;
}
