/**
 * The `face-liveness-backend/server` entry: helpers for an app's own backend in Node, never for a browser. It needs
 * `@aws-sdk/client-dynamodb` (an optional peer dependency: install it where you use this entry). Verifying an
 * attestation works anywhere: `verifyAttestation` is in the `face-liveness-backend/client` entry.
 */
export { consumeVerdict } from './consume-verdict';
export type { ConsumeVerdictInput } from './consume-verdict';
