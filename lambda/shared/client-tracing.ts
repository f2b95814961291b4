/**
 * Where the traced handler assets plug Powertools Tracer into the SDK clients (./tracer.ts). The default assets
 * never install it, so they carry neither Tracer nor the X-Ray SDK it wraps (about 110 KB of each bundle).
 */
type WrapClient = <C extends object>(client: C) => C;

let wrapClient: WrapClient | undefined;

/** Called once, before the clients are built (./tracer.ts is the first import of a traced entry). */
export function installClientTracing(wrap: WrapClient): void {
  wrapClient = wrap;
}

/** The client, traced when a traced asset installed a tracer and the configuration asks for it. */
export function traceClient<C extends object>(client: C, enabled: boolean): C {
  return enabled && wrapClient !== undefined ? wrapClient(client) : client;
}
