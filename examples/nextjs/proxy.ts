/**
 * A Content-Security-Policy with a fresh nonce on every page: Next.js puts the nonce on the scripts it inlines when it
 * finds it in the request's policy. The policy itself is the one the example app runs under (local/web/csp.ts):
 * the API, the regional video stream, the identity service, self-hosted assets, 'wasm-unsafe-eval' for TensorFlow.js.
 */
import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy } from '../../local/web/csp';
import { appConfig } from './app/config';

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  let policy: string;
  try {
    policy = contentSecurityPolicy(appConfig(), request.nextUrl.origin, { nonce });
  } catch {
    // No config: the page says so; nothing but this origin is allowed meanwhile.
    policy = `default-src 'self'; script-src 'self' 'nonce-${nonce}' 'strict-dynamic'; style-src 'self' 'nonce-${nonce}'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'`;
  }
  // Development builds evaluate code for fast refresh.
  if (process.env.NODE_ENV === 'development')
    policy = policy.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'");
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // Pages only: static files, the self-hosted assets and prefetches need no policy of their own.
  matcher: [
    {
      source: '/((?!_next/static|_next/image|favicon.ico|tfjs-wasm/|face-model/).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
