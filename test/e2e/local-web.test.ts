/**
 * Fast checks of the pieces around the browser test (no browser): the local web server, the Content-Security-Policy
 * and the example app's config parsing. Part of the normal `npm test`.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../web/src/config';
import { LOCAL_IDENTITY_POOL_ID } from '../../contract/local-mode';
import { localConfig } from '../../local/web/config-file';
import { contentSecurityPolicy, LIVENESS_CDN } from '../../local/web/csp';
import { startWebServer, type WebServer } from '../../local/web/server';

function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
}

describe('contentSecurityPolicy', () => {
  const deployed = {
    region: 'eu-west-1',
    apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1',
    identityPoolId: 'eu-west-1:11111111-2222-3333-4444-555555555555',
    authMode: 'iam' as const,
  };

  test('a deployed config allows the API, the regional stream, Cognito and the liveness CDN, and nothing inline', () => {
    const csp = directives(contentSecurityPolicy(deployed, 'https://app.example.com'));
    expect(csp['connect-src']).toEqual([
      "'self'",
      'https://abc123.execute-api.eu-west-1.amazonaws.com',
      'wss://streaming-rekognition.eu-west-1.amazonaws.com',
      'https://cognito-identity.eu-west-1.amazonaws.com',
      LIVENESS_CDN,
    ]);
    expect(csp['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
  });

  test('with a nonce (Next.js): scripts need it and may load what they trust, styles may carry it', () => {
    const csp = directives(contentSecurityPolicy(deployed, 'https://app.example.com', { nonce: 'abc123' }));
    expect(csp['script-src']).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'", "'wasm-unsafe-eval'"]);
    expect(csp['style-src']).toEqual(["'self'", "'nonce-abc123'"]);
    expect(csp['connect-src']).toContain('wss://streaming-rekognition.eu-west-1.amazonaws.com');
  });

  test('self-hosted wasm and model drop the CDN', () => {
    const csp = directives(
      contentSecurityPolicy(
        { ...deployed, binaryPath: 'tfjs-wasm/', faceModelUrl: '/models/face/model.json' },
        'https://app.example.com',
      ),
    );
    expect(csp['connect-src']).not.toContain(LIVENESS_CDN);
  });

  test('a model on another host is allowed by its origin', () => {
    const csp = directives(
      contentSecurityPolicy(
        { ...deployed, faceModelUrl: 'https://models.example.com/face/model.json' },
        'https://app.example.com',
      ),
    );
    expect(csp['connect-src']).toContain('https://models.example.com');
  });
});

describe('startWebServer', () => {
  let server: WebServer;
  let dist: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'web-'));
    dist = join(dir, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    mkdirSync(join(dist, 'tfjs-wasm'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dist, 'tfjs-wasm', 'tfjs-backend-wasm.wasm'), Buffer.from([0, 97, 115, 109]));
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'model.json'), '{}');
    server = await startWebServer({
      distDir: dist,
      port: 0,
      mounts: { '/face-model/': join(dir, 'model') },
      config: (origin) =>
        localConfig({
          apiUrl: 'http://127.0.0.1:3000',
          region: 'us-east-1',
          identityPoolId: LOCAL_IDENTITY_POOL_ID,
          cognitoIdentityEndpoint: 'http://127.0.0.1:4020/',
          faceModelUrl: `${origin}/face-model/model.json`,
        }),
    });
  });

  afterAll(() => server.close());

  test('serves the entry page with the CSP and security headers', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(
      /connect-src 'self' http:\/\/127\.0\.0\.1:3000 wss:\/\/streaming-rekognition\.us-east-1\.amazonaws\.com http:\/\/127\.0\.0\.1:4020[ ;]/,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('serves the generated config, never cached', async () => {
    const response = await fetch(`${server.url}/liveness-config.json`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      region: 'us-east-1',
      apiUrl: 'http://127.0.0.1:3000',
      identityPoolId: LOCAL_IDENTITY_POOL_ID,
      cognitoIdentityEndpoint: 'http://127.0.0.1:4020/',
      authMode: 'iam',
      local: true,
      binaryPath: 'tfjs-wasm/',
      faceModelUrl: `${server.url}/face-model/model.json`,
    });
  });

  test('wasm gets application/wasm (instantiateStreaming needs it); hashed assets are immutable', async () => {
    expect((await fetch(`${server.url}/tfjs-wasm/tfjs-backend-wasm.wasm`)).headers.get('content-type')).toBe(
      'application/wasm',
    );
    expect((await fetch(`${server.url}/assets/index-abc.js`)).headers.get('cache-control')).toMatch(/immutable/);
  });

  test('serves mounts', async () => {
    expect((await fetch(`${server.url}/face-model/model.json`)).status).toBe(200);
  });

  test.each(['/../secret.txt', '/%2e%2e/secret.txt', '/face-model/..%2f..%2fsecret.txt', '/nope.js'])(
    'refuses %s',
    async (path) => {
      expect((await fetch(`${server.url}${path}`)).status).toBe(404);
    },
  );

  test('only GET and HEAD', async () => {
    expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(405);
  });

  test('binds loopback only', async () => {
    await expect(startWebServer({ distDir: dist, port: 0, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe("the example app's config file", () => {
  const FILE = 'https://app.example.com/liveness-config.json';

  test('a deployed config is accepted as the infra script writes it', () => {
    const config = parseConfig(
      {
        region: 'eu-west-1',
        apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1',
        identityPoolId: 'eu-west-1:11111111-2222-3333-4444-555555555555',
        authMode: 'iam',
      },
      FILE,
    );
    expect(config).toEqual({
      region: 'eu-west-1',
      apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1',
      identityPoolId: 'eu-west-1:11111111-2222-3333-4444-555555555555',
      authMode: 'iam',
    });
  });

  test('self-hosting paths are made absolute against the file, binaryPath ends in /', () => {
    const config = parseConfig(
      {
        region: 'us-east-1',
        apiUrl: 'https://api.example.com/v1',
        identityPoolId: 'us-east-1:0000',
        authMode: 'iam',
        binaryPath: 'tfjs-wasm',
        faceModelUrl: '/models/face/model.json',
      },
      FILE,
    );
    expect(config.binaryPath).toBe('https://app.example.com/tfjs-wasm/');
    expect(config.faceModelUrl).toBe('https://app.example.com/models/face/model.json');
  });

  test('an identity pool is required, local mode included: the app authenticates one way', () => {
    expect(() =>
      parseConfig({ region: 'us-east-1', apiUrl: 'https://api.example.com', authMode: 'none' }, FILE),
    ).toThrow(/identityPoolId/);
    expect(() =>
      parseConfig({ region: 'us-east-1', apiUrl: 'http://127.0.0.1:3000', authMode: 'none', local: true }, FILE),
    ).toThrow(/identityPoolId/);
    const local = parseConfig(
      {
        region: 'us-east-1',
        apiUrl: 'http://127.0.0.1:3000',
        authMode: 'iam',
        identityPoolId: LOCAL_IDENTITY_POOL_ID,
        cognitoIdentityEndpoint: 'http://127.0.0.1:4020',
        local: true,
      },
      FILE,
    );
    expect(local).toMatchObject({
      local: true,
      identityPoolId: LOCAL_IDENTITY_POOL_ID,
      cognitoIdentityEndpoint: 'http://127.0.0.1:4020/',
    });
  });

  test('the local streaming endpoint is ignored outside local mode', () => {
    const config = parseConfig(
      {
        region: 'us-east-1',
        apiUrl: 'https://api.example.com',
        identityPoolId: 'us-east-1:0000',
        authMode: 'none',
        localStreamingEndpoint: '_streaming',
      },
      FILE,
    );
    expect(config).not.toHaveProperty('localStreamingEndpoint');
  });

  test('every problem is reported at once', () => {
    expect(() =>
      parseConfig({ region: 'mars', apiUrl: 'ftp://x', authMode: 'magic', identityPoolId: 'nope' }, FILE),
    ).toThrow(/"region".*"apiUrl".*"authMode".*"identityPoolId"/);
  });

  test('a missing file says how to create one', async () => {
    const notFound = (async () => new Response('nope', { status: 404 })) as typeof fetch;
    await expect(loadConfig('https://app.example.com/', notFound)).rejects.toThrow(
      /not configured yet.*npx face-liveness config.*npm start/,
    );
  });

  test("authMode 'cognito' is refused with a pointer to the README: the example has no sign-in", () => {
    expect(() =>
      parseConfig(
        {
          region: 'us-east-1',
          apiUrl: 'https://api.example.com',
          identityPoolId: 'us-east-1:0000',
          authMode: 'cognito',
        },
        FILE,
      ),
    ).toThrow(/sign/);
  });
});
