export { startLocalKms } from './local-kms';
export type { LocalKms, LocalKmsOptions } from './local-kms';
