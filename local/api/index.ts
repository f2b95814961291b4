export { startLocalApi } from './server';
export type { LocalApi, LocalApiOptions, ProxyHandler } from './server';
export { LOCAL_ANONYMOUS_IDENTITY, lambdaContext, toProxyEvent } from './proxy-event';
export type { ProxyRequest, VerifiedCaller } from './proxy-event';
export { LOCAL_GATEWAY_ERRORS } from './gateway-errors';
