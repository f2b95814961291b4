/**
 * Serves the built example app (web/dist) on 127.0.0.1 for local mode and the browser e2e test, with its runtime
 * configuration (liveness-config.json) generated for the local stack and the Content-Security-Policy it needs.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { assertLoopbackHost, closeHttpServer, createLocalServer, listen } from '../net';
import { attachStreamingEndpoint, type StreamingEmulator } from '../emulators/streaming';
import type { LivenessConfigFile } from './config-file';
import { contentSecurityPolicy } from './csp';
import { DEMO_BACKEND_PREFIX, demoBackend, type DemoBackendOptions } from './demo-backend';

export interface WebServerOptions {
  /** The built app, e.g. `web/dist`. */
  readonly distDir: string;
  /** 0 picks a free port. @default 5173 (the origin the backend's default CORS setting allows) */
  readonly port?: number;
  /** Loopback only. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * Served as /liveness-config.json. A function is called per request with this server's origin, so the config can
   * name URLs on this server, or on servers started after this one. @default none: distDir's own file, if any
   */
  readonly config?: LivenessConfigFile | ((origin: string) => LivenessConfigFile);
  /** Extra directories served under URL prefixes, e.g. `{ '/models/face/': '/path/to/model' }`. @default none */
  readonly mounts?: Readonly<Record<string, string>>;
  /** Send the Content-Security-Policy derived from the config. @default true when `config` is given */
  readonly csp?: boolean;
  /**
   * Answer WebSocket upgrades on /_streaming with this streaming emulator (local mode in a real browser; pair it with
   * `localStreamingEndpoint: '_streaming'` in the config). @default none
   */
  readonly streaming?: StreamingEmulator;
  /**
   * Serve the example's demo app backend (local/web/demo-backend.ts) under /demo-backend/: it opens identity checks on
   * the local API with local mode's app-backend credentials. Pair it with `demoBackend: 'demo-backend/'` in the config.
   * @default none
   */
  readonly demoBackend?: DemoBackendOptions;
  /** Called once per request with a one-line summary. */
  readonly onRequest?: (line: string) => void;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  // WebAssembly.instantiateStreaming insists on this type.
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  assertLoopbackHost(host);
  const distDir = await realpath(resolve(options.distDir));
  // Each mount's root as its real path, like distDir: files must stay inside it, and a root that is itself a symlink
  // (a cache folder linked into a worktree) is still where its files are.
  const mounts = await Promise.all(
    Object.entries(options.mounts ?? {}).map(async ([prefix, dir]) => ({
      prefix: prefix.endsWith('/') ? prefix : `${prefix}/`,
      dir: await realpath(resolve(dir)).catch(() => resolve(dir)),
    })),
  );
  let origin = '';
  const currentConfig = (): LivenessConfigFile | undefined =>
    typeof options.config === 'function' ? options.config(origin) : options.config;
  const sendCsp = options.csp ?? true;
  // The app's own origin in both spellings a browser may use for loopback.
  const ownOrigins = (): string[] => [origin, origin.replace('//127.0.0.1:', '//localhost:')];
  const demo = options.demoBackend && demoBackend(options.demoBackend, ownOrigins);

  const server = createLocalServer((req, res) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      options.onRequest?.(`${req.method} ${req.url} -> ${res.statusCode} (${ms.toFixed(1)} ms)`);
    });
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'Bad path');
    }
    if (demo && pathname.startsWith(DEMO_BACKEND_PREFIX)) {
      securityHeaders(res);
      return demo(req, res, pathname);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'Method not allowed');
    }
    securityHeaders(res);
    const config = currentConfig();
    if (pathname === '/liveness-config.json' && config !== undefined) {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.json']!, 'Cache-Control': 'no-store' });
      return void res.end(req.method === 'HEAD' ? undefined : JSON.stringify(config, null, 2));
    }
    const mount = mounts.find((m) => pathname.startsWith(m.prefix));
    const file = mount
      ? await safeFile(mount.dir, pathname.slice(mount.prefix.length))
      : await safeFile(distDir, pathname === '/' ? 'index.html' : pathname.slice(1));
    if (!file) return send(res, 404, 'Not found');
    const type = CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
    const isEntry = !mount && file.path === join(distDir, 'index.html');
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': String(file.size),
      // Vite's hashed assets never change; the entry page and everything else are revalidated.
      'Cache-Control': !mount && pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(isEntry &&
        sendCsp &&
        config !== undefined && { 'Content-Security-Policy': contentSecurityPolicy(config, origin) }),
    });
    if (req.method === 'HEAD') return void res.end();
    // A file removed between stat() and this read ends this answer, not the server.
    createReadStream(file.path)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  const streamingEndpoint = options.streaming ? attachStreamingEndpoint(server, options.streaming) : undefined;

  const port = await listen(server, options.port ?? 5173, host);
  origin = `http://${host === '::1' ? '[::1]' : host}:${port}`;

  return {
    url: origin,
    port,
    close: () => {
      streamingEndpoint?.close();
      return closeHttpServer(server, 0);
    },
  };
}

/** A regular file inside `root` (no traversal, no symlinks out), or undefined. */
async function safeFile(root: string, relative: string): Promise<{ path: string; size: number } | undefined> {
  if (relative.includes('\0')) return undefined;
  const candidate = resolve(root, relative);
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  try {
    const real = await realpath(candidate);
    if (real !== root && !real.startsWith(root + sep)) return undefined;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // The detector needs the camera on this origin and nothing else.
  res.setHeader('Permissions-Policy', 'camera=(self), microphone=(), geolocation=()');
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}
