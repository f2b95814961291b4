export * from './event-stream';
export * from './challenges';
export * from './protocol';
export { sessionDirectoryFor } from './control-plane';
export { attachStreamingEndpoint, LOCAL_STREAMING_PATH } from './ws-server';
