import { join } from 'node:path';
import type { NextConfig } from 'next';

/** The repository: the app imports the package's React component and client from their sources there. */
const repo = join(__dirname, '..', '..');

const config: NextConfig = {
  // Strict Mode's development double mount would start the detector twice, and a session streams once ("Cannot
  // complete check due to server issue"). The component itself is safe under it; the detector's stream is not.
  reactStrictMode: false,
  poweredByHeader: false,
  outputFileTracingRoot: repo,
  // The app imports the package's component and client from the repository's sources (../../react, ../../client).
  turbopack: { root: repo },
  async headers() {
    // The rest of the security headers; the Content-Security-Policy, with its per-request nonce, is proxy.ts's.
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Permissions-Policy', value: 'camera=(self)' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
        ],
      },
    ];
  },
};

export default config;
