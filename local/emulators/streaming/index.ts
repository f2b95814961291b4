export * from './event-stream';
export * from './challenges';
export * from './protocol';
