export { startWebServer } from './server';
export type { WebServer, WebServerOptions } from './server';
export { startLocalWebApp } from './local-app';
export type { LocalWebApp, LocalWebAppOptions } from './local-app';
export { localConfig } from './config-file';
export type { LivenessConfigFile } from './config-file';
export { contentSecurityPolicy, LIVENESS_CDN } from './csp';
