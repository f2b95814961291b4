/**
 * Every local server shares one process under `npm start`: nothing a client sends (an upgrade, a header, a body, a
 * frame) may stop one of them, and each answers only requests addressed to this machine by name (a page that reached
 * 127.0.0.1 through DNS rebinding still sends its own host name).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionDirectoryFor, StreamingEmulator } from '../../local/emulators/streaming';
import { closeHttpServer, createLocalServer, listen, onUpgrade } from '../../local/net';
import { LOCAL_REGION, startLocalBackend, type LocalBackend } from '../../local/stack';
import { startWebServer, type WebServer } from '../../local/web/server';

/**
 * One HTTP exchange over a raw socket: what the server wrote until it closed the connection, `waitMs` passed, or (with
 * `headOnly`) the response head arrived.
 */
function exchange(port: number, request: string | Buffer, { waitMs = 1500, headOnly = false } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (headOnly && received.includes('\r\n\r\n')) done();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server may reset a connection it refused; that is an answer too.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', done);
  });
}

function statusOf(response: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);
}

/** A GET with the given Host header, through Node's HTTP client (it decodes chunked bodies). */
function getWithHost(port: number, host: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', setHost: false, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const TARGET = encodeURIComponent(
  'wss://streaming-rekognition.us-east-1.amazonaws.com/start-face-liveness-session-websocket?session-id=x',
);

function upgrade(port: number, headers: Record<string, string | undefined>, path = `/_streaming?target=${TARGET}`) {
  const lines = Object.entries({
    Host: `127.0.0.1:${port}`,
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': KEY,
    Origin: `http://127.0.0.1:${port}`,
    ...headers,
  })
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${value}`);
  return `GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

let stack: LocalBackend;
let web: WebServer;
let distDir: string;
let servers: { name: string; port: number }[];

beforeAll(async () => {
  stack = await startLocalBackend({
    apiPort: 0,
    emulatorPort: 0,
    honourEnvironment: false,
    settings: { storeImages: false },
  });
  distDir = mkdtempSync(join(tmpdir(), 'hostile-web-'));
  writeFileSync(join(distDir, 'index.html'), '<!doctype html><title>local</title>');
  web = await startWebServer({
    distDir,
    port: 0,
    streaming: new StreamingEmulator({
      sessions: sessionDirectoryFor(stack.emulator, LOCAL_REGION),
      region: LOCAL_REGION,
      identityPool: stack.identity.pool,
    }),
  });
  const portOf = (url: string) => Number(new URL(url).port);
  servers = [
    { name: 'local API', port: stack.api.port },
    { name: 'Rekognition emulator', port: stack.emulator.port },
    { name: 'local S3', port: portOf(stack.s3.url) },
    { name: 'local DynamoDB', port: portOf(stack.dynamo.url) },
    { name: 'Cognito identity stand-in', port: stack.identity.port },
    { name: 'local KMS', port: portOf(stack.kms.url) },
    { name: 'web server', port: web.port },
  ];
});

afterAll(async () => {
  await Promise.allSettled([web?.close(), stack?.close()]);
  rmSync(distDir, { recursive: true, force: true });
});

/** Every server still answers an ordinary request. */
async function expectAllAlive(): Promise<void> {
  for (const { name, port } of servers) {
    const response = await exchange(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, { headOnly: true });
    expect({ name, answered: statusOf(response) > 0 }).toEqual({ name, answered: true });
  }
}

describe('no upgrade, header or body stops a local server', () => {
  test.each([
    ['Origin: null (a sandboxed iframe)', { Origin: 'null' }, 403],
    ['an Origin that is not a URL', { Origin: '::::' }, 403],
    ['no Origin', { Origin: undefined }, 403],
    ['another origin', { Origin: 'http://evil.example' }, 403],
    ['no Sec-WebSocket-Key', { 'Sec-WebSocket-Key': undefined }, 400],
    ['a Sec-WebSocket-Key that is not 16 bytes of base64', { 'Sec-WebSocket-Key': '%%%garbage%%%' }, 400],
    ['an unknown WebSocket version', { 'Sec-WebSocket-Version': '99' }, 400],
  ])('a WebSocket upgrade to the streaming endpoint with %s is refused', async (_name, headers, status) => {
    const response = await exchange(web.port, upgrade(web.port, headers));
    expect(statusOf(response)).toBe(status);
    await expectAllAlive();
  });

  test('a WebSocket upgrade with a target that is not the streaming service is refused', async () => {
    const path = `/_streaming?target=${encodeURIComponent('wss://evil.example/')}`;
    expect(statusOf(await exchange(web.port, upgrade(web.port, {}, path)))).toBe(403);
    await expectAllAlive();
  });

  test('a WebSocket upgrade on any other path of the web server gets a 404', async () => {
    expect(statusOf(await exchange(web.port, upgrade(web.port, {}, '/index.html')))).toBe(404);
    await expectAllAlive();
  });

  test('an upgrade to a server without a WebSocket endpoint is answered as an ordinary request', async () => {
    for (const { name, port } of servers.filter((s) => s.name !== 'web server')) {
      const response = await exchange(port, upgrade(port, {}, '/'), { headOnly: true });
      const status = statusOf(response);
      expect({ name, status: status > 0 && status !== 101 && status < 500 }).toEqual({ name, status: true });
    }
    await expectAllAlive();
  });

  test('a client that sends an upgrade and resets the connection at once', async () => {
    for (const headers of [{ Origin: 'null' }, {}]) {
      await new Promise<void>((resolve) => {
        const socket = connect(web.port, '127.0.0.1', () => {
          socket.write(upgrade(web.port, headers));
          socket.resetAndDestroy();
          resolve();
        });
        socket.on('error', () => undefined);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expectAllAlive();
  });

  test('a frame the WebSocket protocol forbids (an unmasked client frame) closes that stream only', async () => {
    const socket = connect(web.port, '127.0.0.1');
    socket.on('error', () => undefined);
    const answered = new Promise<string>((resolve) => {
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (received.includes('\r\n\r\n')) {
          // An unmasked binary frame of 3 bytes: a server must fail the connection.
          socket.write(Buffer.from([0x82, 0x03, 0x01, 0x02, 0x03]));
          resolve(received);
        }
      });
    });
    socket.write(upgrade(web.port, {}));
    expect(statusOf(await answered)).toBe(101);
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await expectAllAlive();
  });

  test('a header larger than the servers accept gets a 431', async () => {
    for (const { name, port } of servers) {
      const response = await exchange(
        port,
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
      );
      expect({ name, status: statusOf(response) }).toEqual({ name, status: 431 });
    }
    await expectAllAlive();
  });

  test('a request line or header the HTTP parser refuses gets a 400', async () => {
    for (const { name, port } of servers) {
      const response = await exchange(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nBad Header\r\n\r\n`);
      expect({ name, status: statusOf(response) }).toEqual({ name, status: 400 });
    }
    await expectAllAlive();
  });
});

describe('local servers answer only Host names of this machine', () => {
  test.each([
    'evil.example',
    'evil.example:PORT',
    '127.0.0.1.evil.example:PORT',
    'localhost.evil.example',
    '10.0.0.1:PORT',
  ])('Host: %s gets a JSON refusal from every server', async (host) => {
    for (const { name, port } of servers) {
      const { status, type, body } = await getWithHost(port, host.replace('PORT', String(port)));
      // The local API speaks its contract's error codes: FORBIDDEN, as a deployed API answers a foreign host.
      expect({ name, status }).toEqual({ name, status: name === 'local API' ? 403 : 421 });
      expect(type).toMatch(/^application\/json/);
      expect(JSON.parse(body)).toMatchObject({ error: { message: expect.stringMatching(/Host/) } });
    }
  });

  test('the control API of the Rekognition emulator refuses a foreign Host, even with a JSON body', async () => {
    const port = stack.emulator.port;
    const body = '{}';
    const response = await exchange(
      port,
      `POST /_emulator/reset HTTP/1.1\r\nHost: rebound.example:${port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(statusOf(response)).toBe(421);
  });

  test('a request without a Host header is refused', async () => {
    for (const { name, port } of servers) {
      const response = await exchange(port, 'GET / HTTP/1.0\r\n\r\n');
      expect({ name, status: statusOf(response) }).toEqual({ name, status: name === 'local API' ? 403 : 421 });
    }
  });

  test('a WebSocket upgrade with a foreign Host is refused before the WebSocket handshake', async () => {
    const host = `rebound.example:${web.port}`;
    const response = await exchange(web.port, upgrade(web.port, { Host: host, Origin: `http://${host}` }));
    expect(statusOf(response)).toBe(421);
  });

  test.each(['127.0.0.1:PORT', 'localhost:PORT', '[::1]:PORT', 'LOCALHOST:PORT', 'localhost'])(
    'Host: %s is answered',
    async (host) => {
      for (const { name, port } of servers) {
        const { status } = await getWithHost(port, host.replace('PORT', String(port)));
        const refusal = name === 'local API' ? 403 : 421;
        expect({ name, refused: status === refusal || status === 0 }).toEqual({ name, refused: false });
      }
    },
  );
});

describe('the shared local server helper (local/net.ts)', () => {
  test('a request listener that throws or rejects costs that request a 500, not the process', async () => {
    // GIVEN a server whose listener fails in both ways, and whose upgrade listener throws
    const server = createLocalServer((req) => {
      if (req.url === '/throw') throw new Error('thrown');
      if (req.url === '/reject') return Promise.reject(new Error('rejected'));
      return undefined;
    });
    onUpgrade(server, () => {
      throw new Error('thrown on upgrade');
    });
    const port = await listen(server, 0, '127.0.0.1');
    try {
      // WHEN / THEN each failure is a JSON 500 and the next request is still answered
      for (const path of ['/throw', '/reject']) {
        const response = await exchange(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, {
          headOnly: true,
        });
        expect(statusOf(response)).toBe(500);
        expect(response).toMatch(/\r\nContent-Type: application\/json/i);
      }
      expect(statusOf(await exchange(port, upgrade(port, {}, '/')))).toBe(500);
      expect(statusOf(await exchange(port, `GET /throw HTTP/1.1\r\nHost: localhost\r\n\r\n`, { headOnly: true }))).toBe(
        500,
      );
    } finally {
      await closeHttpServer(server, 0);
    }
  });
});
