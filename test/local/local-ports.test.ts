/** A port local mode cannot bind is named by its own variable (one table of local ports: contract/local-mode.ts). */
import { createServer, type Server } from 'node:net';
import { LOCAL_PORTS } from '../../contract/local-mode';
import { LocalPortError, portInUseMessage, readLocalPorts } from '../../local/local-ports';
import { startLocalBackend } from '../../local/stack';

function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

test('each port comes from its variable, or its default', () => {
  const ports = readLocalPorts({ PORT: '3001', LOCAL_COGNITO_PORT: '4021' });
  expect(ports).toEqual({ api: 3001, emulator: 4010, cognito: 4021, s3: 0, dynamo: 0, web: 5173 });
});

test('a value that is not a port names its variable', () => {
  expect(() => readLocalPorts({ REKOGNITION_EMULATOR_PORT: '70000' })).toThrow(LocalPortError);
  expect(() => readLocalPorts({ WEB_PORT: 'abc' })).toThrow(/^WEB_PORT must be a port number/);
});

test.each([
  ['cognito', 'LOCAL_COGNITO_PORT'],
  ['emulator', 'REKOGNITION_EMULATOR_PORT'],
  ['api', 'PORT'],
] as const)('the %s port taken: local mode fails to start and the message names %s only', async (name, variable) => {
  // GIVEN another program on the port this run asks for
  const { server, port } = await occupy();
  try {
    const ports = { ...readLocalPorts({}), s3: 0, dynamo: 0, api: 0, emulator: 0, cognito: 0, [name]: port };

    // WHEN local mode starts on those ports
    const error = await startLocalBackend({
      apiPort: ports.api,
      emulatorPort: ports.emulator,
      cognitoPort: ports.cognito,
    }).then(
      async (stack) => {
        await stack.close();
        return undefined;
      },
      (err: unknown) => err,
    );

    // THEN the message names the variable of the port that is taken, and no other
    const message = portInUseMessage(error, ports);
    expect(message).toContain(`Port ${port} (${LOCAL_PORTS[name].what}) is already in use`);
    expect(message).toContain(`Set ${variable} to a free port`);
    for (const other of Object.values(LOCAL_PORTS).filter((p) => p.env !== variable)) {
      expect(message).not.toMatch(new RegExp(`\\b${other.env}\\b`));
    }
  } finally {
    server.close();
  }
});

test('any other error is not a port message', () => {
  expect(portInUseMessage(new Error('boom'), readLocalPorts({}))).toBeUndefined();
});
